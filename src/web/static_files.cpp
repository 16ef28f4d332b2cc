// Static file handler: resolves the tail parameter under the root without letting it escape
// (lexically and through symlinks), then serves the file with caching headers.
#include "web/static_files.hpp"

#include <sys/stat.h>

#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace web {
namespace fs = std::filesystem;

namespace {
bool is_within(const fs::path& root, const fs::path& p) {
  auto r = root.begin(), q = p.begin();
  for (; r != root.end(); ++r, ++q) {
    if (r->empty()) continue;  // trailing separator of the root
    if (q == p.end() || *r != *q) return false;
  }
  return true;
}

// Rejects anything that is not a plain relative path of ordinary segments.
bool safe_relative(std::string_view rel) {
  if (rel.empty() || rel.front() == '/' || rel.find('\\') != std::string_view::npos ||
      rel.find('\0') != std::string_view::npos)
    return false;
  size_t start = 0;
  while (start <= rel.size()) {
    size_t slash = rel.find('/', start);
    std::string_view seg = rel.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
    if (seg == ".." || seg == ".") return false;
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return true;
}

Response not_found() { return Response::text(404, "Not Found\n"); }
}  // namespace

std::string content_type_for(std::string_view path) {
  static const std::pair<std::string_view, std::string_view> kTypes[] = {
      {".html", "text/html; charset=utf-8"},   {".htm", "text/html; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},     {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"}, {".json", "application/json"},
      {".map", "application/json"},            {".txt", "text/plain; charset=utf-8"},
      {".xml", "application/xml"},             {".svg", "image/svg+xml"},
      {".png", "image/png"},                   {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},                 {".gif", "image/gif"},
      {".webp", "image/webp"},                 {".ico", "image/x-icon"},
      {".woff", "font/woff"},                  {".woff2", "font/woff2"},
      {".ttf", "font/ttf"},                    {".pdf", "application/pdf"},
      {".csv", "text/csv; charset=utf-8"},     {".wasm", "application/wasm"},
  };
  size_t dot = path.rfind('.');
  size_t slash = path.rfind('/');
  if (dot != std::string_view::npos && (slash == std::string_view::npos || dot > slash)) {
    std::string ext(path.substr(dot));
    for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (auto [e, t] : kTypes)
      if (e == ext) return std::string(t);
  }
  return "application/octet-stream";
}

Handler static_files(std::string root_dir, StaticOptions options) {
  std::error_code ec;
  fs::path root = fs::canonical(root_dir, ec);
  if (ec) root = fs::path(root_dir).lexically_normal();
  return [root = std::move(root), options = std::move(options)](Request& req) -> Response {
    auto it = req.params.find(options.param);
    if (it == req.params.end() || !safe_relative(it->second)) return not_found();
    std::error_code ec;
    // canonical() resolves symlinks, so a link pointing outside the root is caught here.
    fs::path file = fs::canonical(root / it->second, ec);
    if (ec || !is_within(root, file)) return not_found();
    struct stat st {};
    if (::stat(file.c_str(), &st) != 0 || !S_ISREG(st.st_mode) ||
        static_cast<size_t>(st.st_size) > options.max_file_bytes)
      return not_found();
    // Built by appending: GCC 12 gives a false -Wrestrict on `"\"" + std::to_string(...)` chains.
    std::string etag = "\"";
    etag.append(std::to_string(st.st_size)).append("-").append(std::to_string(st.st_mtim.tv_sec));
    etag.append("-").append(std::to_string(st.st_mtim.tv_nsec)).append("\"");
    Response res;
    if (auto inm = req.header("if-none-match"); inm && (*inm == etag || *inm == "*" || inm->find(etag) != std::string::npos)) {
      res.status = 304;
    } else {
      std::ifstream in(file, std::ios::binary);
      if (!in) return not_found();
      std::ostringstream buf;
      buf << in.rdbuf();
      res.body = std::move(buf).str();
      res.headers.emplace_back("Content-Type", content_type_for(file.native()));
    }
    res.headers.emplace_back("ETag", etag);
    res.headers.emplace_back("Cache-Control", options.cache_control);
    res.headers.emplace_back("X-Content-Type-Options", "nosniff");
    return res;
  };
}

}  // namespace web
