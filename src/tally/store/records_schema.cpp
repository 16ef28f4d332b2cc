// See records_schema.hpp.
#include "tally/store/records_schema.hpp"

namespace tally {

const std::vector<mno::db::Migration>& records_migrations() {
  static const std::vector<mno::db::Migration> m = {};
  return m;
}

}  // namespace tally
