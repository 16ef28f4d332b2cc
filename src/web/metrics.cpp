// Prometheus registry: families keyed by name, series keyed by rendered label set, rendering in
// text format 0.0.4. Registration locks; recording only touches atomics (see metrics.hpp).
#include "web/metrics.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <map>
#include <mutex>
#include <stdexcept>
#include <variant>

namespace web {

Histogram::Histogram(std::vector<double> upper_bounds) : bounds_(std::move(upper_bounds)) {
  std::sort(bounds_.begin(), bounds_.end());
  bounds_.erase(std::unique(bounds_.begin(), bounds_.end()), bounds_.end());
  buckets_ = std::make_unique<std::atomic<uint64_t>[]>(bounds_.size() + 1);
  for (size_t i = 0; i <= bounds_.size(); ++i) buckets_[i].store(0, std::memory_order_relaxed);
}

void Histogram::observe(double v) {
  size_t i = 0;
  while (i < bounds_.size() && v > bounds_[i]) ++i;  // few buckets: a linear scan beats bisection
  buckets_[i].fetch_add(1, std::memory_order_relaxed);
  sum_.fetch_add(v, std::memory_order_relaxed);
  count_.fetch_add(1, std::memory_order_relaxed);
}

uint64_t Histogram::cumulative(size_t i) const {
  uint64_t total = 0;
  for (size_t k = 0; k <= i && k <= bounds_.size(); ++k) total += buckets_[k].load(std::memory_order_relaxed);
  return total;
}

std::vector<double> default_latency_buckets() {
  return {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
}

namespace {
enum class Type { counter, gauge, histogram };

bool valid_name(std::string_view n, bool allow_colon) {
  if (n.empty()) return false;
  for (size_t i = 0; i < n.size(); ++i) {
    char c = n[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (allow_colon && c == ':') ||
              (i > 0 && c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return true;
}

void escape_label_value(std::string& out, std::string_view v) {
  for (char c : v) {
    if (c == '\\') out += "\\\\";
    else if (c == '"') out += "\\\"";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
}

void escape_help(std::string& out, std::string_view v) {
  for (char c : v) {
    if (c == '\\') out += "\\\\";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
}

// `a="x",b="y"` (no braces); also the series key inside a family.
std::string render_labels(const Labels& labels) {
  std::string out;
  for (const auto& [k, v] : labels) {
    if (!valid_name(k, false) || k.starts_with("__")) throw std::logic_error("web::Metrics: bad label name " + k);
    if (!out.empty()) out += ',';
    out += k;
    out += "=\"";
    escape_label_value(out, v);
    out += '"';
  }
  return out;
}

void append_number(std::string& out, double v) {
  if (std::isnan(v)) { out += "NaN"; return; }
  if (std::isinf(v)) { out += v > 0 ? "+Inf" : "-Inf"; return; }
  char buf[64];
  if (v == std::floor(v) && std::fabs(v) < 1e15) std::snprintf(buf, sizeof buf, "%.0f", v);
  else {
    // Shortest of %.15g / %.17g that reads back exactly: "0.1", not "0.10000000000000001".
    std::snprintf(buf, sizeof buf, "%.15g", v);
    if (std::strtod(buf, nullptr) != v) std::snprintf(buf, sizeof buf, "%.17g", v);
  }
  out += buf;
}

void append_series(std::string& out, std::string_view name, std::string_view labels, std::string_view extra) {
  out += name;
  if (!labels.empty() || !extra.empty()) {
    out += '{';
    out += labels;
    if (!labels.empty() && !extra.empty()) out += ',';
    out += extra;
    out += '}';
  }
  out += ' ';
}
}  // namespace

struct Metrics::Impl {
  struct Family {
    std::string name, help;
    Type type;
    std::vector<double> buckets;
    // Series in creation order; deque keeps element addresses stable as it grows.
    std::vector<std::string> keys;
    std::map<std::string, size_t> index;
    std::deque<Counter> counters;
    std::deque<Gauge> gauges;
    std::deque<std::unique_ptr<Histogram>> histograms;
  };
  mutable std::mutex mu;
  std::vector<std::unique_ptr<Family>> families;
  std::map<std::string, Family*, std::less<>> by_name;

  // Returns the family and the series' index in it, creating both as needed.
  std::pair<Family*, size_t> series(std::string_view name, std::string_view help, Type type, const Labels& labels,
                                    std::vector<double>* buckets) {
    std::string key = render_labels(labels);
    std::lock_guard lock(mu);
    Family* f;
    auto it = by_name.find(name);
    if (it == by_name.end()) {
      if (!valid_name(name, true)) throw std::logic_error("web::Metrics: bad metric name " + std::string(name));
      auto fam = std::make_unique<Family>();
      fam->name = std::string(name);
      fam->help = std::string(help);
      fam->type = type;
      if (buckets) fam->buckets = buckets->empty() ? default_latency_buckets() : std::move(*buckets);
      f = fam.get();
      by_name.emplace(fam->name, f);
      families.push_back(std::move(fam));
    } else {
      f = it->second;
      if (f->type != type) throw std::logic_error("web::Metrics: " + std::string(name) + " registered with another type");
    }
    auto s = f->index.find(key);
    if (s != f->index.end()) return {f, s->second};
    size_t i = f->keys.size();
    f->keys.push_back(key);
    f->index.emplace(std::move(key), i);
    if (type == Type::counter) f->counters.emplace_back();
    else if (type == Type::gauge) f->gauges.emplace_back();
    else f->histograms.push_back(std::make_unique<Histogram>(f->buckets));
    return {f, i};
  }
};

Metrics::Metrics() : impl_(std::make_unique<Impl>()) {}
Metrics::~Metrics() = default;

Counter& Metrics::counter(std::string_view name, std::string_view help, const Labels& labels) {
  auto [f, i] = impl_->series(name, help, Type::counter, labels, nullptr);
  return f->counters[i];
}

Gauge& Metrics::gauge(std::string_view name, std::string_view help, const Labels& labels) {
  auto [f, i] = impl_->series(name, help, Type::gauge, labels, nullptr);
  return f->gauges[i];
}

Histogram& Metrics::histogram(std::string_view name, std::string_view help, const Labels& labels,
                              std::vector<double> buckets) {
  auto [f, i] = impl_->series(name, help, Type::histogram, labels, &buckets);
  return *f->histograms[i];
}

std::string Metrics::render() const {
  std::string out;
  std::lock_guard lock(impl_->mu);
  for (const auto& f : impl_->families) {
    out += "# HELP ";
    out += f->name;
    out += ' ';
    escape_help(out, f->help);
    out += "\n# TYPE ";
    out += f->name;
    out += f->type == Type::counter ? " counter\n" : f->type == Type::gauge ? " gauge\n" : " histogram\n";
    for (size_t i = 0; i < f->keys.size(); ++i) {
      const std::string& labels = f->keys[i];
      if (f->type == Type::counter || f->type == Type::gauge) {
        append_series(out, f->name, labels, "");
        append_number(out, f->type == Type::counter ? f->counters[i].value() : f->gauges[i].value());
        out += '\n';
        continue;
      }
      const Histogram& h = *f->histograms[i];
      // Read buckets first and derive the count from them so that +Inf == _count in one scrape.
      uint64_t cumulative = 0;
      std::string bucket_name = f->name + "_bucket";
      for (size_t b = 0; b <= h.bounds().size(); ++b) {
        cumulative = h.cumulative(b);
        std::string le = "le=\"";
        if (b == h.bounds().size()) le += "+Inf";
        else append_number(le, h.bounds()[b]);
        le += '"';
        append_series(out, bucket_name, labels, le);
        append_number(out, static_cast<double>(cumulative));
        out += '\n';
      }
      append_series(out, f->name + "_sum", labels, "");
      append_number(out, h.sum());
      out += '\n';
      append_series(out, f->name + "_count", labels, "");
      append_number(out, static_cast<double>(cumulative));
      out += '\n';
    }
  }
  return out;
}

}  // namespace web
