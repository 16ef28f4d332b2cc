// Notification body parsing and collection name normalisation; see notification.hpp.
#include "mno/connec/notification.hpp"

#include <cctype>

#include "mno/connec/ids.hpp"
#include "mno/util/iso8601.hpp"

namespace mno::connec {
namespace {

using nlohmann::json;

bool ends_with(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Rails routing keys the framework strips from webhook params; a body may still carry them.
bool is_routing_key(const std::string& k) { return k == "tenant" || k == "controller" || k == "action" || k == "connec"; }

}  // namespace

std::string normalize_collection_name(std::string_view key) {
  std::string snake;
  for (size_t i = 0; i < key.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(key[i]);
    if (c == ' ' || c == '-' || c == '_') {
      if (!snake.empty() && snake.back() != '_') snake += '_';
    } else if (std::isupper(c)) {
      // camelCase boundary, not inside an all-caps word
      bool prev_lower = i > 0 && std::islower(static_cast<unsigned char>(key[i - 1]));
      if (prev_lower && !snake.empty() && snake.back() != '_') snake += '_';
      snake += static_cast<char>(std::tolower(c));
    } else {
      snake += static_cast<char>(c);
    }
  }
  while (!snake.empty() && snake.back() == '_') snake.pop_back();
  if (snake.empty() || snake == "company") return snake;
  // Pluralise the last word only ("tax_code" -> "tax_codes").
  auto us = snake.find_last_of('_');
  std::string head = us == std::string::npos ? "" : snake.substr(0, us + 1);
  std::string word = us == std::string::npos ? snake : snake.substr(us + 1);
  if (word == "person") word = "people";
  else if (word == "people" || ends_with(word, "s")) {
  } else if (ends_with(word, "y") && word.size() > 1 && std::string_view("aeiou").find(word[word.size() - 2]) == std::string_view::npos)
    word = word.substr(0, word.size() - 1) + "ies";
  else if (ends_with(word, "x") || ends_with(word, "ch") || ends_with(word, "sh"))
    word += "es";
  else
    word += "s";
  return head + word;
}

Result<Notification> parse_notification(std::string_view body, const std::set<std::string>& collections) {
  auto j = json::parse(body, nullptr, false);
  if (j.is_discarded()) return make_error("connec.bad_json", "notification body is not valid JSON");
  if (!j.is_object()) return make_error("connec.bad_json", "notification body is not a JSON object");
  Notification out;
  for (auto& [key, value] : j.items()) {
    size_t count = value.is_array() ? value.size() : (value.is_object() ? 1 : 0);
    if (is_routing_key(key)) {
      out.skipped.push_back({key, "routing key", count});
      continue;
    }
    std::string coll = normalize_collection_name(key);
    if (coll.empty() || (!collections.empty() && !collections.count(coll))) {
      out.skipped.push_back({key, "unknown collection", count});
      continue;
    }
    std::vector<const json*> records;
    if (value.is_array()) {
      for (auto& r : value) records.push_back(&r);
    } else if (value.is_object()) {
      records.push_back(&value);
    } else {
      return make_error("connec.bad_notification", "notification: \"" + key + "\" is not an array of records");
    }
    for (size_t i = 0; i < records.size(); ++i) {
      const json& r = *records[i];
      std::string where = key + "[" + std::to_string(i) + "]";
      if (!r.is_object()) return make_error("connec.bad_notification", "notification: " + where + " is not an object");
      auto g = r.find("group_id");
      if (g == r.end() || !g->is_string() || g->get<std::string>().empty())
        return make_error("connec.bad_notification", "notification: " + where + " has no group_id");
      auto id = r.find("id");
      std::optional<std::string> cid = id == r.end() ? std::nullopt : find_connec_id(*id);
      if (!cid || cid->empty())
        return make_error("connec.bad_notification", "notification: " + where + " has no Connec! id");
      NotificationEntity e;
      e.group_id = g->get<std::string>();
      e.collection = coll;
      e.entity = r;
      e.connec_id = *cid;
      if (auto u = r.find("updated_at"); u != r.end() && u->is_string()) {
        e.updated_at = u->get<std::string>();
        if (auto t = parse_iso8601(e.updated_at)) e.updated_at_time = *t;
      }
      out.entities.push_back(std::move(e));
    }
  }
  return out;
}

}  // namespace mno::connec
