#ifndef LAPSE_SQLITE_TUNING_H
#define LAPSE_SQLITE_TUNING_H

/// Turns off SQLite's memory statistics, which take a process-wide mutex around every
/// allocation and release. Must run before SQLite initializes (before the first database is
/// opened); returns 0 (SQLITE_OK) when applied, another SQLite result code otherwise.
/// `sqlite3_config` is variadic, so Swift cannot call it directly.
int lapse_sqlite_disable_memory_statistics(void);

#endif
