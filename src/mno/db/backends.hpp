// Internal: constructors of the two Database backends, used by open_database (database.cpp).
#pragma once
#include <memory>
#include <string>
#include "mno/db/database.hpp"

namespace mno::db::detail {

// path is a file path, or empty with in_memory = true.
Result<std::shared_ptr<Database>> open_sqlite(const std::string& path, bool in_memory, const DatabaseOptions& options);
// url is a postgresql:// or postgres:// URL as libpq accepts it.
Result<std::shared_ptr<Database>> open_postgres(const std::string& url, const DatabaseOptions& options);

// "first 160 characters of the statement" for error messages.
std::string sql_excerpt(std::string_view sql);

}  // namespace mno::db::detail
