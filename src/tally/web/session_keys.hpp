// The names under which the signed-in user and their current company are kept in the server-side
// session. The page pipeline writes them at sign-in; the page and API pipelines both read them.
#pragma once

namespace tally {

inline constexpr const char* kSessionUserKey = "user_id";
inline constexpr const char* kSessionCompanyKey = "company_id";

}  // namespace tally
