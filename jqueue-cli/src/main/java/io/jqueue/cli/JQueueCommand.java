package io.jqueue.cli;

import picocli.CommandLine.Command;

/** The {@code jqueue} top-level command. */
@Command(
    name = "jqueue",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "jqueue: queues with retries, dead-lettering and exact attempt counting.",
    subcommands = {
      DemoCommand.class,
      DashboardCommand.class,
      StatsCommand.class,
      io.jqueue.cli.bench.BenchCommand.class,
      picocli.CommandLine.HelpCommand.class
    })
final class JQueueCommand {}
