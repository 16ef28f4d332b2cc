// Id arrays and reference fold/unfold; see ids.hpp.
#include "mno/connec/ids.hpp"

namespace mno::connec {
namespace {

using nlohmann::json;

// Ids compared as strings: 17 and "17" are the same id.
std::optional<std::string> id_string(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number_integer()) return std::to_string(v.get<int64_t>());
  if (v.is_number_unsigned()) return std::to_string(v.get<uint64_t>());
  return std::nullopt;
}

std::string field_string(const json& obj, const char* key) {
  auto it = obj.find(key);
  if (it == obj.end()) return {};
  return id_string(*it).value_or(std::string());
}

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string::npos) slash = path.size();
    if (slash > start) out.push_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  return out;
}

// Calls fn(parent_object, key, concrete_path) for every place the path names; arrays on the way are descended.
template <class Fn>
void visit_path(json& node, const std::vector<std::string>& parts, size_t i, const std::string& prefix, Fn& fn) {
  if (node.is_array()) {
    for (size_t k = 0; k < node.size(); ++k) visit_path(node[k], parts, i, prefix + std::to_string(k) + "/", fn);
    return;
  }
  if (!node.is_object() || i >= parts.size()) return;
  auto it = node.find(parts[i]);
  if (it == node.end()) return;
  if (i + 1 == parts.size()) {
    fn(node, parts[i], prefix + parts[i]);
    return;
  }
  visit_path(*it, parts, i + 1, prefix + parts[i] + "/", fn);
}

}  // namespace

std::vector<ExternalId> parse_id_array(const json& value) {
  std::vector<ExternalId> out;
  if (value.is_string()) {
    out.push_back({value.get<std::string>(), std::string(kConnecProvider), ""});
    return out;
  }
  if (!value.is_array()) return out;
  for (const auto& e : value) {
    if (!e.is_object()) continue;
    auto id_it = e.find("id");
    if (id_it == e.end()) continue;
    auto id = id_string(*id_it);
    if (!id || id->empty()) continue;
    out.push_back({*id, field_string(e, "provider"), field_string(e, "realm")});
  }
  return out;
}

std::optional<std::string> find_connec_id(const json& value) {
  for (auto& e : parse_id_array(value))
    if (e.provider == kConnecProvider) return e.id;
  return std::nullopt;
}

std::optional<std::string> find_own_id(const json& value, const AppIdentity& app) {
  if (!value.is_array()) return std::nullopt;  // a plain string is a Connec! id, never ours
  for (auto& e : parse_id_array(value))
    if (e.provider == app.provider && e.realm == app.realm) return e.id;
  return std::nullopt;
}

json make_id_array(std::string_view local_id, const AppIdentity& app, const std::optional<std::string>& connec_id) {
  json arr = json::array();
  arr.push_back({{"id", std::string(local_id)}, {"provider", app.provider}, {"realm", app.realm}});
  if (connec_id && !connec_id->empty()) arr.push_back({{"id", *connec_id}, {"provider", std::string(kConnecProvider)}});
  return arr;
}

void fold_references(json& record, const std::vector<std::string>& paths, const AppIdentity& app) {
  for (const auto& path : paths) {
    auto fn = [&](json& parent, const std::string& key, const std::string&) {
      json& v = parent[key];
      auto id = id_string(v);
      if (id && !id->empty()) v = make_id_array(*id, app);
    };
    visit_path(record, split_path(path), 0, "", fn);
  }
}

std::vector<MissingReference> unfold_references(json& record, const std::vector<std::string>& paths,
                                                const AppIdentity& app) {
  std::vector<MissingReference> missing;
  for (const auto& path : paths) {
    std::vector<std::pair<json*, std::string>> to_erase;
    auto fn = [&](json& parent, const std::string& key, const std::string& concrete) {
      json& v = parent[key];
      if (v.is_null()) return;
      if (v.is_array()) {
        if (auto own = find_own_id(v, app)) {
          v = *own;
          return;
        }
        missing.push_back({concrete, find_connec_id(v).value_or("")});
      } else if (v.is_string()) {
        missing.push_back({concrete, v.get<std::string>()});
      } else {
        missing.push_back({concrete, ""});
      }
      to_erase.emplace_back(&parent, key);
    };
    visit_path(record, split_path(path), 0, "", fn);
    for (auto& [parent, key] : to_erase) parent->erase(key);
  }
  return missing;
}

}  // namespace mno::connec
