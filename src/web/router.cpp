// Route table and matching (see router.hpp for the pattern syntax and precedence).
#include "web/router.hpp"

#include <stdexcept>
#include <unordered_map>

namespace web {
namespace {
struct Segment {
  enum class Kind { literal, param, tail } kind;
  std::string text;  // literal text or parameter name
};

std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> out;
  if (path.empty() || path.front() != '/') return out;
  path.remove_prefix(1);
  while (true) {
    size_t slash = path.find('/');
    out.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return out;
}
}  // namespace

// All methods registered for one pattern: 405 needs to know them together.
struct PathEntry {
  std::string pattern;
  std::vector<Segment> segments;
  bool literal = true;
  std::vector<std::pair<std::string, size_t>> methods;  // method -> route index

  const size_t* find(std::string_view method) const {
    for (const auto& [m, i] : methods)
      if (m == method) return &i;
    return nullptr;
  }
};

struct Router::Impl {
  std::vector<std::unique_ptr<Route>> routes;
  std::vector<std::unique_ptr<PathEntry>> entries;
  std::unordered_map<std::string, PathEntry*> literal;  // pattern -> entry
  std::vector<PathEntry*> dynamic;                      // registration order

  static bool bind(const PathEntry& e, std::string_view path, std::map<std::string, std::string>* params) {
    auto parts = split_path(path);
    size_t n = e.segments.size();
    bool has_tail = n > 0 && e.segments.back().kind == Segment::Kind::tail;
    if (has_tail ? parts.size() < n : parts.size() != n) return false;
    for (size_t i = 0; i < n; ++i) {
      const Segment& s = e.segments[i];
      if (s.kind == Segment::Kind::literal) {
        if (parts[i] != s.text) return false;
      } else if (s.kind == Segment::Kind::param) {
        if (parts[i].empty()) return false;
        if (params) (*params)[s.text] = std::string(parts[i]);
      } else {
        // The tail: everything from this segment on, slashes included.
        std::string_view rest = path.substr(static_cast<size_t>(parts[i].data() - path.data()));
        if (params) (*params)[s.text] = std::string(rest);
      }
    }
    return true;
  }

  Match resolve(const PathEntry& e, std::string_view method, std::map<std::string, std::string>&& params) const {
    Match m;
    const size_t* idx = e.find(method);
    if (!idx && method == "HEAD") idx = e.find("GET");
    if (idx) {
      m.kind = Match::Kind::found;
      m.route = routes[*idx].get();
      m.params = std::move(params);
      return m;
    }
    m.kind = Match::Kind::method_not_allowed;
    bool has_head = e.find("HEAD") != nullptr;
    for (const auto& entry : e.methods) {
      if (!m.allow.empty()) m.allow += ", ";
      m.allow += entry.first;
      if (entry.first == "GET" && !has_head) m.allow += ", HEAD";  // HEAD is served by GET
    }
    return m;
  }
};

Router::Router() : impl_(std::make_unique<Impl>()) {}
Router::~Router() = default;

void Router::add(std::string_view method, std::string_view pattern, Handler handler, RouteOptions options) {
  if (method.empty() || pattern.empty() || pattern.front() != '/')
    throw std::invalid_argument("web::Router: bad route " + std::string(method) + " " + std::string(pattern));
  PathEntry* entry = nullptr;
  for (auto& e : impl_->entries)
    if (e->pattern == pattern) entry = e.get();
  if (!entry) {
    auto e = std::make_unique<PathEntry>();
    e->pattern = std::string(pattern);
    auto parts = split_path(pattern);
    for (size_t i = 0; i < parts.size(); ++i) {
      std::string_view p = parts[i];
      if (p.size() >= 2 && p.front() == '{' && p.back() == '}') {
        std::string_view name = p.substr(1, p.size() - 2);
        bool tail = name.size() > 3 && name.substr(name.size() - 3) == "...";
        if (tail) name.remove_suffix(3);
        if (name.empty() || name.find_first_of("{}/") != std::string_view::npos || (tail && i + 1 != parts.size()))
          throw std::invalid_argument("web::Router: bad pattern " + std::string(pattern));
        e->segments.push_back({tail ? Segment::Kind::tail : Segment::Kind::param, std::string(name)});
        e->literal = false;
      } else {
        if (p.find_first_of("{}") != std::string_view::npos)
          throw std::invalid_argument("web::Router: bad pattern " + std::string(pattern));
        e->segments.push_back({Segment::Kind::literal, std::string(p)});
      }
    }
    entry = e.get();
    if (entry->literal)
      impl_->literal.emplace(entry->pattern, entry);
    else
      impl_->dynamic.push_back(entry);
    impl_->entries.push_back(std::move(e));
  }
  if (entry->find(method))
    throw std::invalid_argument("web::Router: duplicate route " + std::string(method) + " " + std::string(pattern));
  auto r = std::make_unique<Route>();
  r->index = impl_->routes.size();
  r->method = std::string(method);
  r->pattern = std::string(pattern);
  r->handler = std::move(handler);
  r->options = std::move(options);
  if (r->options.name.empty()) r->options.name = r->pattern;
  entry->methods.emplace_back(r->method, r->index);
  impl_->routes.push_back(std::move(r));
}

Match Router::match(std::string_view method, std::string_view path) const {
  // Heterogeneous lookup needs C++20 transparent hashing; a temporary string is cheap enough
  // next to a network round trip and keeps this simple.
  if (!impl_->literal.empty()) {
    auto it = impl_->literal.find(std::string(path));
    if (it != impl_->literal.end()) return impl_->resolve(*it->second, method, {});
  }
  for (const PathEntry* e : impl_->dynamic) {
    std::map<std::string, std::string> params;
    if (Impl::bind(*e, path, &params)) return impl_->resolve(*e, method, std::move(params));
  }
  return Match{};
}

size_t Router::size() const { return impl_->routes.size(); }
const Route& Router::route(size_t index) const { return *impl_->routes.at(index); }

}  // namespace web
