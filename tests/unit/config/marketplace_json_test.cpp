// Tests of marketplace JSON parsing: the spec fixture parses, every required field is named when
// missing, and each validation rule (URLs, fingerprint, certificate match, creation mode) rejects.
#include <gtest/gtest.h>

#include "fixtures.hpp"
#include "mno/config/marketplace_json.hpp"
#include "mno/config/x509_fingerprint.hpp"

using namespace mno::config;
using nlohmann::json;

namespace {

// Removes the value at a dotted path.
void erase_path(json& j, const std::string& path) {
  json* cur = &j;
  size_t start = 0;
  for (size_t dot; (dot = path.find('.', start)) != std::string::npos; start = dot + 1) cur = &(*cur)[path.substr(start, dot - start)];
  cur->erase(path.substr(start));
}

json& at_path(json& j, const std::string& path) {
  return j[json::json_pointer("/" + [&] { std::string p = path; for (auto& c : p) if (c == '.') c = '/'; return p; }())];
}

}  // namespace

TEST(MarketplaceJson, ParsesTheDevPlatformFixture) {
  auto m = marketplace_from_json(fixtures::marketplace());
  ASSERT_TRUE(m.ok()) << m.error().message;
  EXPECT_EQ(m->name, "maestrano-uat");
  EXPECT_EQ(m->environment, "my-app");
  EXPECT_EQ(m->nid, "my-app-uat");
  EXPECT_EQ(m->app.host, "http://localhost:63705");
  EXPECT_EQ(m->app.synchronization_start_path, "/maestrano/maestrano-uat/synchronizations");
  EXPECT_EQ(m->api.id, "app-1");
  EXPECT_EQ(m->api.key, "key-1");
  EXPECT_EQ(m->api.base, "/api/v1/");
  EXPECT_TRUE(m->sso.enabled);
  EXPECT_TRUE(m->sso.slo_enabled);
  EXPECT_EQ(m->sso.creation_mode, "real");
  EXPECT_EQ(m->sso.idm, "");
  EXPECT_EQ(m->idm(), "http://localhost:63705");
  EXPECT_EQ(m->sso.name_id_format, "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent");
  EXPECT_EQ(m->sso.clock_skew, std::chrono::seconds(180));
  EXPECT_FALSE(m->sso.legacy_sha1);
  EXPECT_EQ(m->sso.recheck_grace, std::chrono::seconds(300));
  EXPECT_EQ(m->connec.timeout, std::chrono::seconds(300));
  EXPECT_TRUE(m->connec.enabled);
  EXPECT_TRUE(m->webhooks.connec.external_ids);
  EXPECT_EQ(m->webhooks.connec.initialization_path, "");
  EXPECT_EQ(m->webhooks.account.group_user_path, "/maestrano/account/groups/:group_id/users/:id/maestrano-uat");
  EXPECT_EQ(m->api_url("account/bills"), "https://api-hub-uat.maestrano.io/api/v1/account/bills");
  EXPECT_EQ(m->api_url("/account/bills"), "https://api-hub-uat.maestrano.io/api/v1/account/bills");
  EXPECT_EQ(m->connec_url("cld-1/people"), "https://api-connec-uat.maestrano.io/api/v2/cld-1/people");
  EXPECT_EQ(m->connec_url("/cld-1/people"), "https://api-connec-uat.maestrano.io/api/v2/cld-1/people");
}

TEST(MarketplaceJson, EveryRequiredFieldIsNamedWhenMissing) {
  const char* required[] = {"marketplace", "app.host", "api.id", "api.key", "api.host", "api.base", "sso.init_path",
                            "sso.consume_path", "sso.idp", "sso.x509_fingerprint", "sso.x509_certificate", "connec.host",
                            "connec.base_path", "webhooks.account.group_path", "webhooks.account.group_user_path",
                            "webhooks.connec.notification_path"};
  for (std::string field : required) {
    json j = fixtures::marketplace();
    erase_path(j, field);
    auto m = marketplace_from_json(j);
    ASSERT_FALSE(m.ok()) << field;
    EXPECT_EQ(m.error().code, "config.missing_field") << field;
    EXPECT_NE(m.error().message.find("missing required field " + field), std::string::npos) << m.error().message;
    if (field != "marketplace") {
      EXPECT_NE(m.error().message.find("marketplace \"maestrano-uat\""), std::string::npos) << m.error().message;
    }
  }
  json j = fixtures::marketplace();
  erase_path(j, "api.key");
  EXPECT_EQ(marketplace_from_json(j).error().message, "marketplace \"maestrano-uat\": missing required field api.key");
}

TEST(MarketplaceJson, EmptyOrNullRequiredFieldIsMissing) {
  json j = fixtures::marketplace();
  j["api"]["key"] = "";
  EXPECT_EQ(marketplace_from_json(j).error().code, "config.missing_field");
  j = fixtures::marketplace();
  j["api"]["id"] = nullptr;
  EXPECT_EQ(marketplace_from_json(j).error().code, "config.missing_field");
}

TEST(MarketplaceJson, OptionalFieldsMayBeAbsent) {
  json j = fixtures::marketplace();
  for (auto f : {"nid", "environment", "sso.idm", "connec.timeout", "webhooks.connec.external_ids",
                 "webhooks.connec.initialization_path", "app.synchronization_start_path"})
    erase_path(j, f);
  auto m = marketplace_from_json(j);
  ASSERT_TRUE(m.ok()) << m.error().message;
  EXPECT_EQ(m->environment, "maestrano-uat");  // defaults to the marketplace name (Ruby behaviour)
  EXPECT_EQ(m->connec.timeout, std::chrono::seconds(60));
  EXPECT_FALSE(m->webhooks.connec.external_ids);
}

TEST(MarketplaceJson, WrongTypesAreInvalidFields) {
  struct Case {
    const char* path;
    json value;
  } cases[] = {{"api.key", 42},           {"sso.enabled", "yes"},     {"connec.timeout", "300"},
               {"connec.timeout", 0},     {"sso.clock_skew", -1},     {"webhooks.connec.external_ids", 1},
               {"app", "http://x"},       {"marketplace", 7}};
  for (const auto& c : cases) {
    json j = fixtures::marketplace();
    at_path(j, c.path) = c.value;
    auto m = marketplace_from_json(j);
    ASSERT_FALSE(m.ok()) << c.path;
    EXPECT_EQ(m.error().code, "config.invalid_field") << c.path << ": " << m.error().message;
  }
  json j = fixtures::marketplace();
  j["api"]["key"] = 42;
  EXPECT_NE(marketplace_from_json(j).error().message.find("api.key"), std::string::npos);
}

TEST(MarketplaceJson, ValidatesUrlsAndPaths) {
  for (auto [path, value] : {std::pair{"app.host", "localhost:3000"}, std::pair{"api.host", "ftp://x"},
                             std::pair{"sso.idp", "https://"}, std::pair{"connec.host", "https://a b"},
                             std::pair{"sso.idm", "javascript:alert(1)"}, std::pair{"api.base", "api/v1/"},
                             std::pair{"sso.consume_path", "consume"}, std::pair{"webhooks.account.group_path", "x"}}) {
    json j = fixtures::marketplace();
    at_path(j, path) = value;
    auto m = marketplace_from_json(j);
    ASSERT_FALSE(m.ok()) << path;
    EXPECT_EQ(m.error().code, "config.invalid_field");
    EXPECT_NE(m.error().message.find(path), std::string::npos) << m.error().message;
  }
}

TEST(MarketplaceJson, NormalisesSlashes) {
  json j = fixtures::marketplace();
  j["app"]["host"] = "https://app.example.com/";
  j["api"]["base"] = "/api/v1";
  j["connec"]["base_path"] = "/api/v2/";
  auto m = marketplace_from_json(j);
  ASSERT_TRUE(m.ok()) << m.error().message;
  EXPECT_EQ(m->app.host, "https://app.example.com");
  EXPECT_EQ(m->api.base, "/api/v1/");
  EXPECT_EQ(m->connec.base_path, "/api/v2");
}

TEST(MarketplaceJson, RejectsUnsafeMarketplaceName) {
  for (auto name : {"", "a/b", "a b", "../x", "x?y"}) {
    json j = fixtures::marketplace();
    j["marketplace"] = name;
    EXPECT_FALSE(marketplace_from_json(j).ok()) << name;
  }
}

TEST(MarketplaceJson, CreationMode) {
  json j = fixtures::marketplace();
  j["sso"]["creation_mode"] = "virtual";
  EXPECT_EQ(marketplace_from_json(j)->sso.creation_mode, "virtual");
  j["sso"]["creation_mode"] = "Real";
  auto m = marketplace_from_json(j);
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().code, "config.invalid_field");
  EXPECT_NE(m.error().message.find("sso.creation_mode"), std::string::npos);
}

TEST(MarketplaceJson, SloForcedOffWhenSsoDisabled) {
  json j = fixtures::marketplace();
  j["sso"]["enabled"] = false;
  j["sso"]["slo_enabled"] = true;
  auto m = marketplace_from_json(j);
  ASSERT_TRUE(m.ok());
  EXPECT_FALSE(m->sso.slo_enabled);
}

TEST(MarketplaceJson, TallySecurityKnobs) {
  json j = fixtures::marketplace();
  j["sso"]["clock_skew"] = 30;
  j["sso"]["legacy_sha1"] = true;
  j["sso"]["recheck_grace"] = 0;
  auto m = marketplace_from_json(j);
  ASSERT_TRUE(m.ok()) << m.error().message;
  EXPECT_EQ(m->sso.clock_skew, std::chrono::seconds(30));
  EXPECT_TRUE(m->sso.legacy_sha1);
  EXPECT_EQ(m->sso.recheck_grace, std::chrono::seconds(0));
}

TEST(MarketplaceJson, FingerprintSyntax) {
  for (auto fp : {"", "1E:E9", "1EE9F665669F33CFD54F09B41A6D66372A8C1CB4", "1E-E9-F6-65-66-9F-33-CF-D5-4F-09-B4-1A-6D-66-37-2A-8C-1C-B4",
                  "1E:E9:F6:65:66:9F:33:CF:D5:4F:09:B4:1A:6D:66:37:2A:8C:1C:ZZ",
                  "1E:E9:F6:65:66:9F:33:CF:D5:4F:09:B4:1A:6D:66:37:2A:8C:1C:B4:00"}) {
    json j = fixtures::marketplace();
    j["sso"]["x509_fingerprint"] = fp;
    auto m = marketplace_from_json(j);
    ASSERT_FALSE(m.ok()) << fp;
    EXPECT_NE(m.error().message.find("sso.x509_fingerprint"), std::string::npos) << m.error().message;
  }
}

TEST(MarketplaceJson, FingerprintCaseDoesNotMatter) {
  json j = fixtures::marketplace();
  std::string lower = fixtures::kFingerprintA;
  for (auto& c : lower) c = static_cast<char>(std::tolower(c));
  j["sso"]["x509_fingerprint"] = lower;
  EXPECT_TRUE(marketplace_from_json(j).ok());
}

TEST(MarketplaceJson, CertificateMustMatchFingerprint) {
  json j = fixtures::marketplace();
  j["sso"]["x509_certificate"] = fixtures::cert_b();
  auto m = marketplace_from_json(j);
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().code, "config.invalid_field");
  EXPECT_NE(m.error().message.find("does not match sso.x509_fingerprint"), std::string::npos) << m.error().message;

  j["sso"]["x509_fingerprint"] = fixtures::kFingerprintB;
  EXPECT_TRUE(marketplace_from_json(j).ok());
}

TEST(MarketplaceJson, CertificateMustBePem) {
  json j = fixtures::marketplace();
  j["sso"]["x509_certificate"] = "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n";
  auto m = marketplace_from_json(j);
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().code, "config.invalid_field");
  EXPECT_NE(m.error().message.find("sso.x509_certificate"), std::string::npos);
}

TEST(MarketplaceJson, LegacySingularWebhookGroup) {
  json j = fixtures::marketplace();
  j.erase("webhooks");
  j["webhook"] = {{"account", {{"groups_path", "/maestrano/account/groups/:id"}, {"group_users_path", "/maestrano/account/groups/:group_id/users/:id"}}},
                  {"connec", {{"notifications_path", "/maestrano/connec/notifications"}}}};
  auto m = marketplace_from_json(j);
  ASSERT_TRUE(m.ok()) << m.error().message;
  EXPECT_EQ(m->webhooks.account.group_path, "/maestrano/account/groups/:id");
  EXPECT_EQ(m->webhooks.account.group_user_path, "/maestrano/account/groups/:group_id/users/:id");
  EXPECT_EQ(m->webhooks.connec.notification_path, "/maestrano/connec/notifications");
}

TEST(MarketplaceJson, RoundTripWithSecrets) {
  json j = fixtures::marketplace();
  j["sso"]["idm"] = "https://idm.example.com";
  j["webhooks"]["connec"]["initialization_path"] = "/maestrano/connec/init";
  auto m = marketplace_from_json(j);
  ASSERT_TRUE(m.ok());
  auto again = marketplace_from_json(marketplace_to_json(*m, true));
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_EQ(*again, *m);
}

TEST(MarketplaceJson, ToJsonWithoutSecretsHasNoKey) {
  auto m = marketplace_from_json(fixtures::marketplace("mk", "app-1", "super-secret-key"));
  ASSERT_TRUE(m.ok());
  auto j = marketplace_to_json(*m, false);
  EXPECT_FALSE(j["api"].contains("key"));
  EXPECT_EQ(j.dump().find("super-secret-key"), std::string::npos);
}

TEST(MarketplacesDocument, ArrayAndSingleObject) {
  auto list = marketplaces_from_json(fixtures::document({fixtures::marketplace("a"), fixtures::marketplace("b")}).dump());
  ASSERT_TRUE(list.ok()) << list.error().message;
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[1].name, "b");

  json single = {{"marketplaces", fixtures::marketplace("solo")}};
  auto one = marketplaces_from_json(single.dump());
  ASSERT_TRUE(one.ok()) << one.error().message;
  ASSERT_EQ(one->size(), 1u);
  EXPECT_EQ((*one)[0].name, "solo");

  auto empty = marketplaces_from_json(R"({"marketplaces":[]})");
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->empty());
}

TEST(MarketplacesDocument, Errors) {
  EXPECT_EQ(marketplaces_from_json("<html>oops</html>").error().code, "config.invalid_json");
  EXPECT_EQ(marketplaces_from_json("").error().code, "config.invalid_json");
  EXPECT_EQ(marketplaces_from_json("[1,2]").error().code, "config.invalid_json");
  auto err = marketplaces_from_json(R"({"error":"Invalid API key"})");
  EXPECT_EQ(err.error().code, "config.platform_error");
  EXPECT_NE(err.error().message.find("Invalid API key"), std::string::npos);
  EXPECT_EQ(marketplaces_from_json(R"({"data":[]})").error().code, "config.no_marketplaces_key");
  EXPECT_EQ(marketplaces_from_json(R"({"marketplaces":"x"})").error().code, "config.invalid_field");

  auto dup = marketplaces_from_json(fixtures::document({fixtures::marketplace("a"), fixtures::marketplace("a", "app-2", "k2")}).dump());
  EXPECT_EQ(dup.error().code, "config.duplicate_marketplace");
  EXPECT_NE(dup.error().message.find("\"a\""), std::string::npos);

  json bad = fixtures::marketplace("b");
  bad["api"].erase("key");
  auto e = marketplaces_from_json(fixtures::document({fixtures::marketplace("a"), bad}).dump());
  EXPECT_EQ(e.error().message, "marketplace \"b\": missing required field api.key");

  json unnamed = fixtures::marketplace();
  unnamed.erase("marketplace");
  auto u = marketplaces_from_json(fixtures::document({fixtures::marketplace("a"), unnamed}).dump());
  EXPECT_NE(u.error().message.find("marketplaces[1]"), std::string::npos) << u.error().message;
  EXPECT_EQ(marketplaces_from_json(R"({"marketplaces":[3]})").error().code, "config.invalid_field");
}

TEST(X509Fingerprint, ComputesLowerCaseColonHex) {
  auto fp = pem_sha1_fingerprint(fixtures::cert_a());
  ASSERT_TRUE(fp.ok());
  EXPECT_TRUE(fingerprints_equal(*fp, fixtures::kFingerprintA));
  EXPECT_EQ(*fp, "1e:e9:f6:65:66:9f:33:cf:d5:4f:09:b4:1a:6d:66:37:2a:8c:1c:b4");
  EXPECT_FALSE(pem_sha1_fingerprint("").ok());
  EXPECT_FALSE(pem_sha1_fingerprint("garbage").ok());
  EXPECT_TRUE(is_sha1_fingerprint(fixtures::kFingerprintB));
  EXPECT_FALSE(fingerprints_equal(fixtures::kFingerprintA, fixtures::kFingerprintB));
}
