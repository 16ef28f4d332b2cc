// Shared fixtures for the mno/config tests: the dev-platform marketplace JSON from spec §1.4 with a
// committed self-signed certificate (data/idp_a.pem, data/idp_b.pem) whose fingerprint is known.
#pragma once
#include <fstream>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

namespace fixtures {

inline std::string read_data(const std::string& name) {
  std::ifstream in(std::string(TALLY_SOURCE_DIR) + "/tests/unit/config/data/" + name, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

inline const std::string& cert_a() {
  static const std::string pem = read_data("idp_a.pem");
  return pem;
}
inline const std::string& cert_b() {
  static const std::string pem = read_data("idp_b.pem");
  return pem;
}
inline constexpr const char* kFingerprintA = "1E:E9:F6:65:66:9F:33:CF:D5:4F:09:B4:1A:6D:66:37:2A:8C:1C:B4";
inline constexpr const char* kFingerprintB = "D5:C0:0F:1C:E7:2E:CE:F8:FE:02:85:E9:A4:5C:2A:AF:16:6A:D2:A6";

inline nlohmann::json marketplace(const std::string& name = "maestrano-uat", const std::string& id = "app-1",
                                  const std::string& key = "key-1") {
  return {
      {"nid", "my-app-uat"},
      {"marketplace", name},
      {"environment", "my-app"},
      {"app", {{"host", "http://localhost:63705"}, {"synchronization_start_path", "/maestrano/" + name + "/synchronizations"}}},
      {"api", {{"id", id}, {"key", key}, {"host", "https://api-hub-uat.maestrano.io"}, {"base", "/api/v1/"}}},
      {"sso",
       {{"idm", ""},
        {"init_path", "/maestrano/init/?marketplace=" + name},
        {"consume_path", "/maestrano/consume/?marketplace=" + name},
        {"idp", "https://api-hub-uat.maestrano.io"},
        {"x509_fingerprint", kFingerprintA},
        {"x509_certificate", cert_a()}}},
      {"connec", {{"host", "https://api-connec-uat.maestrano.io"}, {"base_path", "/api/v2"}, {"timeout", 300}}},
      {"webhooks",
       {{"account",
         {{"group_path", "/maestrano/account/groups/:id/" + name},
          {"group_user_path", "/maestrano/account/groups/:group_id/users/:id/" + name}}},
        {"connec",
         {{"external_ids", true}, {"initialization_path", nullptr}, {"notification_path", "/maestrano/connec/notifications/" + name}}}}},
  };
}

inline nlohmann::json document(std::initializer_list<nlohmann::json> marketplaces) {
  return {{"marketplaces", nlohmann::json::array_t(marketplaces)}};
}

}  // namespace fixtures
