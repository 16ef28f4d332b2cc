// Metadata endpoint body (spec §2 decision: Java/.NET shape plus "environment"). Built field by field
// from an allowlist so that a secret added to Marketplace later can never leak here by accident.
#include "mno/config/metadata.hpp"

#include <string>

namespace mno::config {
namespace {

std::string lang_version() {
  std::string v = "C++" + std::to_string(__cplusplus);
#if defined(__clang__)
  v += " (clang " __clang_version__ ")";
#elif defined(__GNUC__)
  v += " (GCC " __VERSION__ ")";
#endif
  return v;
}

}  // namespace

nlohmann::json metadata_json(const Marketplace& m) {
  return {
      {"environment", m.environment},
      {"marketplace", m.name},
      {"app", {{"host", m.app.host}}},
      {"api",
       {{"id", m.api.id},
        {"version", std::string(kSdkVersion)},
        {"lang", "cpp"},
        {"lang_version", lang_version()},
        {"host", m.api.host},
        {"base", m.api.base}}},
      {"sso",
       {{"init_path", m.sso.init_path},
        {"consume_path", m.sso.consume_path},
        {"idm", m.idm()},
        {"idp", m.sso.idp},
        {"name_id_format", m.sso.name_id_format},
        {"x509_fingerprint", m.sso.x509_fingerprint},
        {"x509_certificate", m.sso.x509_certificate}}},
      {"connec", {{"host", m.connec.host}, {"base_path", m.connec.base_path}}},
      {"webhook",
       {{"account", {{"group_path", m.webhooks.account.group_path}, {"group_user_path", m.webhooks.account.group_user_path}}},
        {"connec", {{"external_ids", m.webhooks.connec.external_ids}, {"notification_path", m.webhooks.connec.notification_path}}}}},
  };
}

}  // namespace mno::config
