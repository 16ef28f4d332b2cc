// Serves files under a root folder for a route like "/static/{path...}": content type by
// extension, no escape from the root (.., absolute paths, symlinks pointing outside), 404 when
// missing, Cache-Control and ETag / If-None-Match (304). Register it as a blocking route (the
// default): it reads files.
#pragma once
#include <string>

#include "web/router.hpp"

namespace web {

struct StaticOptions {
  std::string param = "path";                       // the tail parameter holding the relative path
  std::string cache_control = "public, max-age=3600";
  size_t max_file_bytes = 16 * 1024 * 1024;         // larger files are not served (404)
};

Handler static_files(std::string root_dir, StaticOptions options = {});

// "text/css; charset=utf-8" for "a/b.css"; "application/octet-stream" when unknown.
std::string content_type_for(std::string_view path);

}  // namespace web
