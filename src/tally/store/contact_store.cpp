// See contact_store.hpp.
#include "tally/store/contact_store.hpp"

#include "tally/store/list_query_sql.hpp"
#include "tally/store/record_counts.hpp"

namespace tally::store {

namespace {

constexpr const char* kSelect =
    "SELECT k.id, k.company_id, k.first_name, k.last_name, k.job_title, k.email, k.phone, k.mobile, k.customer_id,"
    " COALESCE(cu.name, ''), k.created_at, k.updated_at, k.archived_at, k.version"
    " FROM contacts k LEFT JOIN customers cu ON cu.company_id = k.company_id AND cu.id = k.customer_id";

Contact from_row(const mno::db::Row& r) {
  Contact x;
  x.id = r.i64(0);
  x.company_id = r.i64(1);
  x.first_name = r.text(2);
  x.last_name = r.text(3);
  x.job_title = r.text(4);
  x.email = r.text(5);
  x.phone = r.text(6);
  x.mobile = r.text(7);
  x.customer_id = r.opt_i64(8);
  x.customer_name = r.text(9);
  x.created_at = r.text(10);
  x.updated_at = r.text(11);
  x.archived_at = r.opt_text(12);
  x.version = r.i64(13);
  return x;
}

}  // namespace

mno::Result<std::optional<Contact>> find_contact(mno::db::Connection& c, int64_t company_id, int64_t id) {
  auto row = c.query_one(std::string(kSelect) + " WHERE k.id = $1 AND k.company_id = $2", {id, company_id});
  if (!row) return row.error();
  if (!*row) return std::optional<Contact>{};
  return std::optional<Contact>{from_row(**row)};
}

mno::Result<int64_t> insert_contact(mno::db::Connection& c, const Contact& x) {
  auto row = c.query_one(
      "INSERT INTO contacts (company_id, first_name, last_name, job_title, email, phone, mobile, customer_id,"
      " created_at, updated_at, version) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$9,1) RETURNING id",
      {x.company_id, x.first_name, x.last_name, x.job_title, x.email, x.phone, x.mobile, x.customer_id,
       x.created_at});
  if (!row) return row.error();
  return (*row)->i64(0);
}

mno::Result<int64_t> update_contact(mno::db::Connection& c, const Contact& x, int64_t expected_version) {
  return c.execute(
      "UPDATE contacts SET first_name=$1, last_name=$2, job_title=$3, email=$4, phone=$5, mobile=$6,"
      " customer_id=$7, updated_at=$8, version = version + 1 WHERE id=$9 AND company_id=$10 AND version=$11",
      {x.first_name, x.last_name, x.job_title, x.email, x.phone, x.mobile, x.customer_id, x.updated_at, x.id,
       x.company_id, expected_version});
}

mno::Result<Page<Contact>> list_contacts(mno::db::Connection& c, int64_t company_id, const ContactListQuery& q) {
  auto order = order_by_clause(q,
                               {{"name", "lower(k.last_name),lower(k.first_name)"},
                                {"first_name", "lower(k.first_name)"},
                                {"last_name", "lower(k.last_name)"},
                                {"email", "k.email"},
                                {"customer", "lower(cu.name)"},
                                {"created_at", "k.created_at"},
                                {"updated_at", "k.updated_at"}},
                               "k.id");
  if (!order) return order.error();
  std::string where = " WHERE k.company_id = $1";
  std::vector<mno::db::Value> params{company_id};
  if (!q.include_archived) where += " AND k.archived_at IS NULL";
  if (q.customer_id) {
    params.emplace_back(*q.customer_id);
    where += " AND k.customer_id = $" + std::to_string(params.size());
  }
  if (!q.search.empty()) {
    params.emplace_back(like_pattern(q.search));
    where += " AND " + search_condition({"k.first_name", "k.last_name", "k.email", "cu.name"},
                                        static_cast<int>(params.size()));
  }
  auto count =
      q.search.empty() && !q.customer_id
          ? counted_records(c, company_id, "contacts", q.include_archived)
          : count_query(c,
                        "SELECT COUNT(*) FROM contacts k LEFT JOIN customers cu ON cu.company_id = k.company_id AND "
                        "cu.id = k.customer_id" + where,
                        params);
  if (!count) return count.error();
  auto rows = c.query(std::string(kSelect) + where + *order + limit_clause(q), params);
  if (!rows) return rows.error();
  Page<Contact> page;
  page.total = *count;
  page.page = q.page;
  page.per_page = q.per_page;
  for (const auto& r : *rows) page.items.push_back(from_row(r));
  return page;
}

}  // namespace tally::store
