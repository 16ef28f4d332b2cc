// Parsing and validation of the dev-platform marketplace document. Every error names the marketplace
// and the dotted field path, and never quotes a secret value.
#include "mno/config/marketplace_json.hpp"

#include <cctype>
#include <optional>
#include <set>

#include "mno/config/x509_fingerprint.hpp"

namespace mno::config {
namespace {

using json = nlohmann::json;

// Walks one marketplace object; remembers the first error so the parsing code stays linear.
class FieldReader {
 public:
  FieldReader(const json& root, std::string who) : root_(root), who_(std::move(who)) {}

  void fail(const char* code, const std::string& message) {
    if (!error_) error_ = make_error(code, who_ + ": " + message);
  }
  bool failed() const { return error_.has_value(); }
  const Error& error() const { return *error_; }
  void set_who(std::string who) { who_ = std::move(who); }

  // Value at a dotted path, nullptr when absent or null; a non-object on the way is an error.
  const json* find(std::string_view path) {
    const json* cur = &root_;
    size_t start = 0;
    while (true) {
      size_t dot = path.find('.', start);
      std::string key(path.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start));
      if (!cur->is_object()) {
        fail("config.invalid_field", "field " + std::string(path.substr(0, start ? start - 1 : 0)) + " must be an object");
        return nullptr;
      }
      auto it = cur->find(key);
      if (it == cur->end() || it->is_null()) return nullptr;
      cur = &*it;
      if (dot == std::string_view::npos) return cur;
      start = dot + 1;
    }
  }
  // First present of several spellings (current name first, legacy names after).
  const json* find_any(std::initializer_list<std::string_view> paths) {
    for (auto p : paths)
      if (const json* v = find(p)) return v;
    return nullptr;
  }

  void str(std::initializer_list<std::string_view> paths, std::string& out, bool required) {
    std::string name(*paths.begin());
    const json* v = find_any(paths);
    if (!v) {
      if (required) fail("config.missing_field", "missing required field " + name);
      return;
    }
    if (!v->is_string()) return fail("config.invalid_field", "field " + name + " must be a string");
    out = v->get<std::string>();
    if (required && out.empty()) fail("config.missing_field", "missing required field " + name + " (empty)");
  }
  void boolean(std::string_view path, bool& out) {
    const json* v = find(path);
    if (!v) return;
    if (!v->is_boolean()) return fail("config.invalid_field", "field " + std::string(path) + " must be true or false");
    out = v->get<bool>();
  }
  void seconds(std::string_view path, std::chrono::seconds& out, long min, long max) {
    const json* v = find(path);
    if (!v) return;
    if (!v->is_number_integer() || v->get<long long>() < min || v->get<long long>() > max)
      return fail("config.invalid_field", "field " + std::string(path) + " must be an integer number of seconds in [" +
                                              std::to_string(min) + ", " + std::to_string(max) + "]");
    out = std::chrono::seconds(v->get<long long>());
  }

 private:
  const json& root_;
  std::string who_;
  std::optional<Error> error_;
};

bool is_http_url(std::string_view s) {
  auto starts_ci = [&](std::string_view p) {
    if (s.size() <= p.size()) return false;
    for (size_t i = 0; i < p.size(); ++i)
      if (std::tolower(static_cast<unsigned char>(s[i])) != p[i]) return false;
    return true;
  };
  if (!starts_ci("http://") && !starts_ci("https://")) return false;
  for (char c : s)
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) return false;
  return true;
}

bool is_path(std::string_view s) {
  if (s.empty() || s.front() != '/') return false;
  for (char c : s)
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) return false;
  return true;
}

// The name goes into URLs and log lines: keep it to a URL-safe token.
bool is_marketplace_name(std::string_view s) {
  if (s.empty() || s.size() > 100) return false;
  for (char c : s)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.') return false;
  return true;
}

void strip_trailing_slashes(std::string& s) {
  while (s.size() > 1 && s.back() == '/') s.pop_back();
}

void check_url(FieldReader& r, const char* field, std::string& value) {
  if (!is_http_url(value)) return r.fail("config.invalid_field", std::string("field ") + field + " must be an http:// or https:// URL");
  strip_trailing_slashes(value);
}

void check_path(FieldReader& r, const char* field, const std::string& value) {
  if (!is_path(value)) r.fail("config.invalid_field", std::string("field ") + field + " must be a path starting with '/'");
}

Result<Marketplace> parse_one(const json& object, const std::string& unnamed_label) {
  FieldReader r(object, unnamed_label);
  if (!object.is_object()) {
    r.fail("config.invalid_field", "must be a JSON object");
    return r.error();
  }
  Marketplace m;
  r.str({"marketplace"}, m.name, true);
  if (r.failed()) return r.error();
  if (!is_marketplace_name(m.name)) {
    r.fail("config.invalid_field", "field marketplace must be letters, digits, '-', '_' or '.'");
    return r.error();
  }
  r.set_who("marketplace \"" + m.name + "\"");

  r.str({"environment"}, m.environment, false);
  if (m.environment.empty()) m.environment = m.name;
  r.str({"nid"}, m.nid, false);

  r.str({"app.host"}, m.app.host, true);
  r.str({"app.synchronization_start_path"}, m.app.synchronization_start_path, false);
  r.str({"app.synchronization_toggle_path"}, m.app.synchronization_toggle_path, false);
  r.str({"app.synchronization_status_path"}, m.app.synchronization_status_path, false);

  r.str({"api.id"}, m.api.id, true);
  r.str({"api.key"}, m.api.key, true);
  r.str({"api.host"}, m.api.host, true);
  r.str({"api.base"}, m.api.base, true);

  r.boolean("sso.enabled", m.sso.enabled);
  r.boolean("sso.slo_enabled", m.sso.slo_enabled);
  r.str({"sso.creation_mode"}, m.sso.creation_mode, false);
  r.str({"sso.init_path"}, m.sso.init_path, true);
  r.str({"sso.consume_path"}, m.sso.consume_path, true);
  r.str({"sso.idm"}, m.sso.idm, false);
  r.str({"sso.idp"}, m.sso.idp, true);
  r.str({"sso.name_id_format"}, m.sso.name_id_format, false);
  r.str({"sso.x509_fingerprint"}, m.sso.x509_fingerprint, true);
  r.str({"sso.x509_certificate"}, m.sso.x509_certificate, true);
  r.seconds("sso.clock_skew", m.sso.clock_skew, 0, 3600);
  r.boolean("sso.legacy_sha1", m.sso.legacy_sha1);
  r.seconds("sso.recheck_grace", m.sso.recheck_grace, 0, 7 * 24 * 3600);

  r.boolean("connec.enabled", m.connec.enabled);
  r.str({"connec.host"}, m.connec.host, true);
  r.str({"connec.base_path"}, m.connec.base_path, true);
  r.seconds("connec.timeout", m.connec.timeout, 1, 3600);

  // Dev-platform "webhooks"; the legacy singular "webhook" group with its plural-path names is accepted too.
  r.str({"webhooks.account.group_path", "webhook.account.group_path", "webhook.account.groups_path"},
        m.webhooks.account.group_path, true);
  r.str({"webhooks.account.group_user_path", "webhook.account.group_user_path", "webhook.account.group_users_path"},
        m.webhooks.account.group_user_path, true);
  r.str({"webhooks.connec.notification_path", "webhook.connec.notification_path", "webhook.connec.notifications_path"},
        m.webhooks.connec.notification_path, true);
  r.str({"webhooks.connec.initialization_path", "webhook.connec.initialization_path"}, m.webhooks.connec.initialization_path, false);
  if (r.find("webhooks")) r.boolean("webhooks.connec.external_ids", m.webhooks.connec.external_ids);
  else r.boolean("webhook.connec.external_ids", m.webhooks.connec.external_ids);
  if (r.failed()) return r.error();

  check_url(r, "app.host", m.app.host);
  check_url(r, "api.host", m.api.host);
  check_url(r, "sso.idp", m.sso.idp);
  check_url(r, "connec.host", m.connec.host);
  if (!m.sso.idm.empty()) check_url(r, "sso.idm", m.sso.idm);
  check_path(r, "api.base", m.api.base);
  if (m.api.base.back() != '/') m.api.base += '/';
  check_path(r, "connec.base_path", m.connec.base_path);
  strip_trailing_slashes(m.connec.base_path);
  check_path(r, "sso.init_path", m.sso.init_path);
  check_path(r, "sso.consume_path", m.sso.consume_path);
  check_path(r, "webhooks.account.group_path", m.webhooks.account.group_path);
  check_path(r, "webhooks.account.group_user_path", m.webhooks.account.group_user_path);
  check_path(r, "webhooks.connec.notification_path", m.webhooks.connec.notification_path);
  if (!m.webhooks.connec.initialization_path.empty())
    check_path(r, "webhooks.connec.initialization_path", m.webhooks.connec.initialization_path);
  if (m.sso.creation_mode != "real" && m.sso.creation_mode != "virtual")
    r.fail("config.invalid_field", "field sso.creation_mode must be \"real\" or \"virtual\"");
  if (m.sso.name_id_format.empty()) m.sso.name_id_format = std::string(kNameIdPersistent);
  if (!m.sso.enabled) m.sso.slo_enabled = false;
  if (r.failed()) return r.error();

  if (!is_sha1_fingerprint(m.sso.x509_fingerprint)) {
    r.fail("config.invalid_field", "field sso.x509_fingerprint must be 20 colon-separated hex bytes");
    return r.error();
  }
  auto actual = pem_sha1_fingerprint(m.sso.x509_certificate);
  if (!actual) {
    r.fail("config.invalid_field", "field sso.x509_certificate: " + actual.error().message);
    return r.error();
  }
  if (!fingerprints_equal(*actual, m.sso.x509_fingerprint)) {
    r.fail("config.invalid_field", "field sso.x509_certificate has SHA-1 fingerprint " + *actual +
                                       ", which does not match sso.x509_fingerprint " + m.sso.x509_fingerprint);
    return r.error();
  }
  return m;
}

}  // namespace

Result<Marketplace> marketplace_from_json(const nlohmann::json& object) {
  return parse_one(object, "marketplace (unnamed)");
}

Result<std::vector<Marketplace>> marketplaces_from_document(const nlohmann::json& document) {
  if (!document.is_object()) return make_error("config.invalid_json", "marketplace document must be a JSON object");
  if (auto it = document.find("error"); it != document.end()) {
    std::string detail = it->is_string() ? it->get<std::string>() : it->dump(-1, ' ', false, json::error_handler_t::replace);
    if (detail.size() > 200) detail = detail.substr(0, 200) + "...";
    return make_error("config.platform_error", "the platform answered with an error: " + detail);
  }
  auto it = document.find("marketplaces");
  if (it == document.end() || it->is_null())
    return make_error("config.no_marketplaces_key", "marketplace document has no \"marketplaces\" key");

  std::vector<Marketplace> out;
  std::set<std::string, std::less<>> names;
  auto add = [&](const json& item, const std::string& label) -> Status {
    auto m = parse_one(item, label + " (unnamed)");
    if (!m) return m.error();
    if (!names.insert(m->name).second)
      return make_error("config.duplicate_marketplace", "marketplace \"" + m->name + "\" is defined more than once");
    out.push_back(std::move(*m));
    return {};
  };
  if (it->is_object()) {
    if (auto st = add(*it, "marketplaces"); !st) return st.error();
  } else if (it->is_array()) {
    for (size_t i = 0; i < it->size(); ++i)
      if (auto st = add((*it)[i], "marketplaces[" + std::to_string(i) + "]"); !st) return st.error();
  } else {
    return make_error("config.invalid_field", "\"marketplaces\" must be an array or an object");
  }
  return out;
}

Result<std::vector<Marketplace>> marketplaces_from_json(std::string_view body) {
  json doc = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return make_error("config.invalid_json", "marketplace document is not valid JSON");
  return marketplaces_from_document(doc);
}

nlohmann::json marketplace_to_json(const Marketplace& m, bool include_secrets) {
  json app = {{"host", m.app.host}};
  if (!m.app.synchronization_start_path.empty()) app["synchronization_start_path"] = m.app.synchronization_start_path;
  if (!m.app.synchronization_toggle_path.empty()) app["synchronization_toggle_path"] = m.app.synchronization_toggle_path;
  if (!m.app.synchronization_status_path.empty()) app["synchronization_status_path"] = m.app.synchronization_status_path;
  json api = {{"id", m.api.id}, {"host", m.api.host}, {"base", m.api.base}};
  if (include_secrets) api["key"] = m.api.key;
  return {
      {"marketplace", m.name},
      {"environment", m.environment},
      {"nid", m.nid},
      {"app", app},
      {"api", api},
      {"sso",
       {{"enabled", m.sso.enabled},
        {"slo_enabled", m.sso.slo_enabled},
        {"creation_mode", m.sso.creation_mode},
        {"init_path", m.sso.init_path},
        {"consume_path", m.sso.consume_path},
        {"idm", m.sso.idm},
        {"idp", m.sso.idp},
        {"name_id_format", m.sso.name_id_format},
        {"x509_fingerprint", m.sso.x509_fingerprint},
        {"x509_certificate", m.sso.x509_certificate},
        {"clock_skew", m.sso.clock_skew.count()},
        {"legacy_sha1", m.sso.legacy_sha1},
        {"recheck_grace", m.sso.recheck_grace.count()}}},
      {"connec",
       {{"enabled", m.connec.enabled},
        {"host", m.connec.host},
        {"base_path", m.connec.base_path},
        {"timeout", m.connec.timeout.count()}}},
      {"webhooks",
       {{"account", {{"group_path", m.webhooks.account.group_path}, {"group_user_path", m.webhooks.account.group_user_path}}},
        {"connec",
         {{"external_ids", m.webhooks.connec.external_ids},
          {"notification_path", m.webhooks.connec.notification_path},
          {"initialization_path", m.webhooks.connec.initialization_path.empty()
                                      ? json(nullptr)
                                      : json(m.webhooks.connec.initialization_path)}}}}},
  };
}

}  // namespace mno::config
