// Identity (user, group, membership, Maestrano session) from a validated assertion; see identity.hpp.
#include "mno/sso/identity.hpp"

#include "mno/util/iso8601.hpp"

namespace mno::sso {
namespace {

class Reader {
 public:
  explicit Reader(const saml::ValidatedAssertion& a) : a_(a) {}
  // Optional single-valued attribute: "" when absent; error when multi-valued.
  Result<std::string> optional(std::string_view name) const {
    auto it = a_.attributes.find(std::string(name));
    if (it == a_.attributes.end() || it->second.empty()) return std::string{};
    if (it->second.size() > 1) return make_error("sso.ambiguous_attribute", "attribute " + std::string(name) + " has several values");
    return it->second.front();
  }
  Result<std::string> required(std::string_view name) const {
    auto v = optional(name);
    if (!v) return v;
    if (v->empty()) return make_error("sso.missing_attribute", "required attribute " + std::string(name) + " is missing or empty");
    return v;
  }
  Result<TimePoint> time(std::string_view name) const {
    auto v = required(name);
    if (!v) return v.error();
    auto t = parse_iso8601(*v);
    if (!t) return make_error("sso.bad_time", "attribute " + std::string(name) + " is not an ISO-8601 time");
    return *t;
  }

 private:
  const saml::ValidatedAssertion& a_;
};

}  // namespace

std::string unmask_user(std::string_view uid) { return std::string(uid.substr(0, uid.find('.'))); }

std::string mask_user(std::string_view uid, std::string_view group_uid, std::string_view creation_mode) {
  std::string base = unmask_user(uid);
  if (creation_mode == "virtual") return base + "." + std::string(group_uid);
  return base;
}

Result<Identity> identity_from_assertion(const saml::ValidatedAssertion& a, const config::Marketplace& m) {
  const std::string& mode = m.sso.creation_mode;
  if (mode != "real" && mode != "virtual") return make_error("sso.creation_mode", "sso.creation_mode must be real or virtual");
  Reader r(a);
  Identity id;
  id.creation_mode = mode;
  // Every field is read through the Result so that the first problem is reported by name.
#define MNO_TAKE(dst, expr)            \
  do {                                 \
    auto v_ = (expr);                  \
    if (!v_) return v_.error();        \
    dst = std::move(*v_);              \
  } while (0)
  MNO_TAKE(id.user.real_uid, r.required("uid"));
  MNO_TAKE(id.user.real_email, r.required("email"));
  MNO_TAKE(id.user.virtual_uid, mode == "virtual" ? r.required("virtual_uid") : r.optional("virtual_uid"));
  MNO_TAKE(id.user.virtual_email, mode == "virtual" ? r.required("virtual_email") : r.optional("virtual_email"));
  MNO_TAKE(id.user.first_name, r.optional("name"));
  MNO_TAKE(id.user.last_name, r.optional("surname"));
  MNO_TAKE(id.user.country, r.optional("country"));
  MNO_TAKE(id.user.company_name, r.optional("company_name"));
  id.user.uid = mode == "virtual" ? id.user.virtual_uid : id.user.real_uid;
  id.user.email = mode == "virtual" ? id.user.virtual_email : id.user.real_email;

  MNO_TAKE(id.group.uid, r.required("group_uid"));
  MNO_TAKE(id.group.name, r.optional("group_name"));
  MNO_TAKE(id.group.email, r.optional("group_email"));
  MNO_TAKE(id.group.currency, r.optional("group_currency"));
  MNO_TAKE(id.group.timezone, r.optional("group_timezone"));
  MNO_TAKE(id.group.country, r.optional("group_country"));
  if (id.group.country.empty()) id.group.country = id.user.country;
  MNO_TAKE(id.group.city, r.optional("group_city"));
  MNO_TAKE(id.group.org_uid, r.optional("group_org_uid"));
  id.group.company_name = id.user.company_name;
  std::string has_cc;
  MNO_TAKE(has_cc, r.optional("group_has_credit_card"));
  id.group.has_credit_card = has_cc == "true";
  MNO_TAKE(id.group.free_trial_end, r.time("group_end_free_trial"));

  id.membership.group_uid = id.group.uid;
  id.membership.user_uid = id.user.real_uid;
  MNO_TAKE(id.membership.role, r.required("group_role"));

  id.session.marketplace = m.name;
  id.session.uid = id.user.real_uid;
  id.session.group_uid = id.group.uid;
  MNO_TAKE(id.session.token, r.required("mno_session"));
  MNO_TAKE(id.session.recheck, r.time("mno_session_recheck"));
#undef MNO_TAKE
  return id;
}

}  // namespace mno::sso
