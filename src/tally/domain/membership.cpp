// See membership.hpp.
#include "tally/domain/membership.hpp"

namespace tally {

std::string_view to_string(MembershipStatus status) {
  return status == MembershipStatus::active ? "active" : "revoked";
}

std::optional<MembershipStatus> parse_membership_status(std::string_view text) {
  if (text == "active") return MembershipStatus::active;
  if (text == "revoked") return MembershipStatus::revoked;
  return std::nullopt;
}

}  // namespace tally
