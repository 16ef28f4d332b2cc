// See bill_reference.hpp: the " [ref:<reference>]" marker at the end of a bill description.
#include "mno/account/bill_reference.hpp"

namespace mno::account {
namespace {
constexpr std::string_view kOpen = " [ref:";
}

bool is_valid_reference(std::string_view reference) {
  if (reference.empty() || reference.size() > 64) return false;
  for (char c : reference) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

std::string description_with_reference(std::string_view description, std::string_view reference) {
  std::string out(description);
  out += kOpen;
  out += reference;
  out += ']';
  return out;
}

std::optional<std::string> reference_in(std::string_view description) {
  if (description.empty() || description.back() != ']') return std::nullopt;
  auto open = description.rfind(kOpen);
  if (open == std::string_view::npos) return std::nullopt;
  auto ref = description.substr(open + kOpen.size());
  ref.remove_suffix(1);
  if (!is_valid_reference(ref)) return std::nullopt;
  return std::string(ref);
}

}  // namespace mno::account
