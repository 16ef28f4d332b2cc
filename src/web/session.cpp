// Signed session cookies (HMAC-SHA256 via OpenSSL), id rotation, CSRF checks, and the in-memory
// store. The cookie only carries the id; everything else stays server-side.
#include "web/session.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "mno/util/log.hpp"
#include "mno/util/secure_compare.hpp"

namespace web {
namespace {
std::string base64url(const unsigned char* data, size_t len) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  out.reserve((len * 4 + 2) / 3);
  size_t i = 0;
  for (; i + 2 < len; i += 3) {
    uint32_t n = (uint32_t(data[i]) << 16) | (uint32_t(data[i + 1]) << 8) | data[i + 2];
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += kAlphabet[(n >> 6) & 63];
    out += kAlphabet[n & 63];
  }
  if (i < len) {
    uint32_t n = uint32_t(data[i]) << 16;
    if (i + 1 < len) n |= uint32_t(data[i + 1]) << 8;
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    if (i + 1 < len) out += kAlphabet[(n >> 6) & 63];
  }
  return out;
}

std::string hmac_sha256_b64url(const std::string& key, std::string_view msg) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(msg.data()),
       msg.size(), mac, &len);
  return base64url(mac, len);
}

// The domain separator keeps a session MAC from being valid for any other use of the same key.
constexpr std::string_view kContext = "web.session.v1:";
}  // namespace

// ---- MemorySessionStore ----

mno::Result<std::optional<Session>> MemorySessionStore::load(const std::string& id) {
  std::lock_guard lock(mu_);
  auto it = sessions_.find(id);
  if (it == sessions_.end()) return std::optional<Session>{};
  if (it->second.expires <= clock_.now()) {
    sessions_.erase(it);
    return std::optional<Session>{};
  }
  return std::optional<Session>{it->second};
}

mno::Status MemorySessionStore::save(const Session& session) {
  std::lock_guard lock(mu_);
  Session copy = session;
  copy.dirty = false;
  sessions_.insert_or_assign(session.id, std::move(copy));
  return {};
}

mno::Status MemorySessionStore::erase(const std::string& id) {
  std::lock_guard lock(mu_);
  sessions_.erase(id);
  return {};
}

size_t MemorySessionStore::purge_expired() {
  std::lock_guard lock(mu_);
  auto now = clock_.now();
  return std::erase_if(sessions_, [&](const auto& kv) { return kv.second.expires <= now; });
}

size_t MemorySessionStore::size() const {
  std::lock_guard lock(mu_);
  return sessions_.size();
}

// ---- SessionManager ----

SessionManager::SessionManager(std::shared_ptr<SessionStore> store, std::string signing_key, const mno::Clock& clock,
                               mno::Random& random, SessionOptions options)
    : store_(std::move(store)), key_(std::move(signing_key)), clock_(clock), random_(random), options_(std::move(options)) {}

std::string SessionManager::sign(const std::string& id) const {
  return id + "." + hmac_sha256_b64url(key_, std::string(kContext) + id);
}

std::optional<std::string> SessionManager::verify(std::string_view cookie_value) const {
  size_t dot = cookie_value.rfind('.');
  if (dot == std::string_view::npos || dot == 0 || cookie_value.size() > 512) return std::nullopt;
  std::string id(cookie_value.substr(0, dot));
  std::string expected = hmac_sha256_b64url(key_, std::string(kContext) + id);
  if (!mno::secure_equals(expected, cookie_value.substr(dot + 1))) return std::nullopt;
  return id;
}

std::shared_ptr<Session> SessionManager::attach(Request& req) {
  req.session = nullptr;
  auto cookie = req.cookie(options_.cookie_name);
  if (!cookie) return nullptr;
  auto id = verify(*cookie);
  if (!id) return nullptr;
  auto loaded = store_->load(*id);
  if (!loaded.ok()) {
    mno::log::warn("web.session.load_failed", {{"code", loaded.error().code}});
    return nullptr;
  }
  if (!loaded.value() || loaded.value()->expires <= clock_.now()) return nullptr;
  req.session = std::make_shared<Session>(std::move(*loaded.value()));
  return req.session;
}

std::shared_ptr<Session> SessionManager::start(Request& req, Response& res) {
  auto session = std::make_shared<Session>();
  if (req.session) {
    // Login: the old id may be known to an attacker (session fixation), so it dies here.
    session->data = req.session->data;
    auto erased = store_->erase(req.session->id);
    if (!erased.ok()) mno::log::warn("web.session.erase_failed", {{"code", erased.error().code}});
  }
  session->id = random_.url_token(32);
  session->csrf_token = random_.url_token(32);
  session->expires = clock_.now() + options_.ttl;
  auto saved = store_->save(*session);
  if (!saved.ok()) mno::log::warn("web.session.save_failed", {{"code", saved.error().code}});
  Cookie c;
  c.name = options_.cookie_name;
  c.value = sign(session->id);
  c.max_age = static_cast<long>(options_.ttl.count());
  c.secure = options_.secure;
  c.same_site = options_.same_site;
  res.set_cookie(c);
  req.session = session;
  return session;
}

mno::Status SessionManager::save(const Session& session) { return store_->save(session); }

void SessionManager::destroy(Request& req, Response& res) {
  if (req.session) {
    auto erased = store_->erase(req.session->id);
    if (!erased.ok()) mno::log::warn("web.session.erase_failed", {{"code", erased.error().code}});
  }
  req.session = nullptr;
  Cookie c;
  c.name = options_.cookie_name;
  c.value = "";
  c.max_age = 0;
  c.secure = options_.secure;
  c.same_site = options_.same_site;
  res.set_cookie(c);
}

bool SessionManager::csrf_ok(const Request& req) const {
  if (!req.session || req.session->csrf_token.empty()) return false;
  std::optional<std::string> sent = req.header("x-csrf-token");
  if (!sent) {
    auto form = req.form();
    auto it = form.find("_csrf");
    if (it != form.end()) sent = it->second;
  }
  if (!sent || sent->empty()) return false;
  return mno::secure_equals(*sent, req.session->csrf_token);
}

}  // namespace web
