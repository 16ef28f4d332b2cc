// See change_event.hpp.
#include "tally/domain/change_event.hpp"

namespace tally {

std::string_view to_string(ChangeKind kind) {
  switch (kind) {
    case ChangeKind::created: return "created";
    case ChangeKind::updated: return "updated";
    case ChangeKind::archived: return "archived";
  }
  return "unknown";
}

}  // namespace tally
