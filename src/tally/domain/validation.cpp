// See validation.hpp.
#include "tally/domain/validation.hpp"

namespace tally {

mno::Error FieldErrors::to_error() const {
  std::string msg = "please correct: ";
  bool first = true;
  for (const auto& [f, m] : fields) {
    msg += (first ? "" : "; ") + f + " " + m;
    first = false;
  }
  auto e = mno::make_error("validation.failed", msg);
  e.fields = fields;
  return e;
}

}  // namespace tally
