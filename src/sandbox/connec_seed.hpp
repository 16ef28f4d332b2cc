// Generated Connec! records for seeding a group (control API; the benchmark imports 100,000): plausible
// organizations, people, items and invoices (invoices reference seeded organizations and items through
// Connec! id arrays), and a generic {name} record for any other collection. Deterministic: record n of a
// collection is always the same, so benchmark runs compare.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "mno/util/result.hpp"
#include "sandbox/connec_store.hpp"

namespace sandbox {

// Record n (0-based) of a collection. refs: Connec! ids already in the group by collection (invoices
// pick their organization and line items from "organizations" and "items"; empty = no reference).
nlohmann::json generated_connec_record(const std::string& collection, int64_t n, const ConnecGroup& group,
                                       const std::map<std::string, std::vector<std::string>>& refs);

// Inserts count generated records per collection (organizations, people and items before invoices, so
// references resolve), in chunks. Returns the number created per collection.
mno::Result<std::map<std::string, int64_t>> seed_connec(ConnecStore& store, const ConnecGroup& group,
                                                         const std::map<std::string, int64_t>& counts);

}  // namespace sandbox
