package io.jqueue.cli.bench;

/** What every scenario gets: the settings, where to show progress, and what to clean up. */
record BenchContext(BenchSettings settings, Progress progress, Cleanup cleanup) {}
