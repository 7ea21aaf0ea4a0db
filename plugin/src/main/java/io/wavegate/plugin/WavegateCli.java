package io.wavegate.plugin;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.wavegate.api.ContentRollout;
import io.wavegate.api.ContentRolloutStatus;
import io.wavegate.api.HistoryStatus;
import io.wavegate.api.RolloutAction;
import io.wavegate.api.RolloutPhase;
import io.wavegate.contract.AgentReport;
import io.wavegate.contract.Assignment;
import io.wavegate.contract.Digests;
import io.wavegate.contract.NodeContent;
import io.wavegate.contract.NodeContents;
import io.wavegate.contract.Durations;
import java.io.File;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code kubectl wavegate}: the SRE's console for ContentRollouts (docs/kubectl-plugin.md). */
@Command(name = "kubectl wavegate", mixinStandardHelpOptions = true, version = "wavegate 0.1.0",
    description = "Watch and steer wavegate ContentRollouts.",
    subcommands = {WavegateCli.Get.class, WavegateCli.ListRollouts.class, WavegateCli.Nodes.class,
        WavegateCli.Plan.class, WavegateCli.Status.class, WavegateCli.History.class, WavegateCli.Pause.class,
        WavegateCli.Resume.class, WavegateCli.Promote.class, WavegateCli.Approve.class, WavegateCli.Abort.class,
        WavegateCli.Retry.class,
        WavegateCli.Stop.class})
public final class WavegateCli {

  /** Exit codes of {@code status}: what a pipeline branches on. */
  public static final int SUCCEEDED = 0;
  public static final int FAILED = 1;
  public static final int HALTED = 2;
  public static final int TIMED_OUT = 3;
  public static final int NOT_FOUND = 4;

  private final Supplier<KubernetesClient> clients;
  private final Clock clock;
  private KubernetesClient client;

  public WavegateCli(Supplier<KubernetesClient> clients, Clock clock) {
    this.clients = clients;
    this.clock = clock;
  }

  public static void main(String[] args) {
    // a kubectl plugin prints what was asked, not the client's logs
    ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
        .setLevel(ch.qos.logback.classic.Level.ERROR);
    WavegateCli cli = new WavegateCli(() -> new KubernetesClientBuilder().build(), Clock.systemUTC());
    int code = cli.commandLine().execute(args);
    if (cli.client != null) {
      cli.client.close();
    }
    System.exit(code);
  }

  public CommandLine commandLine() {
    // a failed call is one line, as kubectl says it, not a stack trace
    return new CommandLine(this).setExecutionExceptionHandler((e, cmd, parsed) -> {
      Throwable cause = e;
      while (cause.getCause() != null && cause.getMessage() != null && cause.getMessage().contains("failed.")) {
        cause = cause.getCause();
      }
      cmd.getErr().println("error: " + (e.getMessage() == null ? e : e.getMessage().strip())
          + (cause != e && cause.getMessage() != null ? ": " + cause.getMessage().strip() : ""));
      if (System.getenv("WAVEGATE_DEBUG") != null) {
        e.printStackTrace(new java.io.PrintWriter(cmd.getErr(), true)); // WAVEGATE_DEBUG=1: the whole story
      }
      return 1;
    });
  }

  KubernetesClient client() {
    if (client == null) {
      client = clients.get();
    }
    return client;
  }

  /** The rollout, or a usage error on {@code command} (printed where the command prints its errors). */
  ContentRollout rollout(String name, CommandLine command) {
    ContentRollout rollout = client().resources(ContentRollout.class).withName(name).get();
    if (rollout == null) {
      throw new CommandLine.ParameterException(command, "no ContentRollout " + name);
    }
    return rollout;
  }

  abstract static class Sub implements Callable<Integer> {
    @ParentCommand
    WavegateCli cli;
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    PrintWriter out() {
      return spec.commandLine().getOut();
    }
  }

  /** A command about one rollout. */
  abstract static class Named extends Sub {
    @Parameters(paramLabel = "NAME")
    String name;

    ContentRollout rollout() {
      return cli.rollout(name, spec.commandLine());
    }
  }

  @Command(name = "get", description = "The rollout as a tree: waves, health, metrics, why it stopped.")
  static final class Get extends Named {
    @Option(names = {"-w", "--watch"}, description = "Draw it again on every change.")
    boolean watch;

    @Override
    public Integer call() throws Exception {
      out().print(RolloutView.render(rollout(), cli.clock.instant()));
      out().flush();
      if (!watch) {
        return 0;
      }
      CountDownLatch closed = new CountDownLatch(1);
      try (var ignored = cli.client().resources(ContentRollout.class).withName(name).watch(new Watcher<>() {
        @Override
        public void eventReceived(Action action, ContentRollout rollout) {
          out().print("\n" + RolloutView.render(rollout, cli.clock.instant()));
          out().flush();
        }

        @Override
        public void onClose(WatcherException cause) {
          closed.countDown();
        }
      })) {
        closed.await();
      }
      return 0;
    }
  }

  @Command(name = "list", description = "Every rollout: phase, wave, nodes, revision, stable, message.")
  static final class ListRollouts extends Sub {
    @Override
    public Integer call() {
      out().printf("%-28s %-12s %-10s %-16s %-13s %-13s %s%n", "NAME", "PHASE", "WAVE", "NODES", "REVISION", "STABLE",
          "MESSAGE");
      for (ContentRollout r : cli.client().resources(ContentRollout.class).list().getItems()) {
        ContentRolloutStatus s = r.getStatus() == null ? new ContentRolloutStatus() : r.getStatus();
        out().printf("%-28s %-12s %-10s %-16s %-13s %-13s %s%n", r.getMetadata().getName(),
            s.getPhase() == null ? "-" : s.getPhase(), dash(s.getCurrentWaveName()), dash(s.getNodes()),
            dash(s.getRevision()), dash(s.getStableRevision()), dash(s.getMessage()));
      }
      return 0;
    }
  }

  @Command(name = "nodes", description = "Per node: pool, wave, desired and reported revision, state, reason.")
  static final class Nodes extends Named {

    @Override
    public Integer call() {
      ContentRollout rollout = rollout();
      String poolLabel = rollout.getSpec().getStrategy().getPoolLabel();
      Map<String, NodeContent> contents = cli.client().resources(NodeContent.class).list().getItems().stream()
          .collect(Collectors.toMap(c -> c.getMetadata().getName(), c -> c));
      out().printf("%-32s %-10s %-10s %-13s %-13s %-8s %s%n", "NODE", "POOL", "WAVE", "DESIRED", "REPORTED", "STATE",
          "REASON");
      for (Node node : cli.client().nodes().list().getItems()) {
        String nodeName = node.getMetadata().getName();
        NodeContent content = contents.get(nodeName);
        var assignment = NodeContents.assignment(content, name);
        var report = NodeContents.report(content, name);
        if (assignment.isEmpty() && report.isEmpty()) {
          continue;
        }
        String pool = node.getMetadata().getLabels() == null ? null : node.getMetadata().getLabels().get(poolLabel);
        out().printf("%-32s %-10s %-10s %-13s %-13s %-8s %s%n", nodeName, dash(pool),
            dash(assignment.map(Assignment::wave).orElse(null)),
            dash(Digests.shortRevision(assignment.map(Assignment::revision).orElse(null))),
            dash(Digests.shortRevision(report.map(AgentReport::revision).orElse(null))),
            dash(report.map(AgentReport::state).orElse(null)), dash(report.map(AgentReport::reason).orElse(null)));
      }
      return 0;
    }
  }

  @Command(name = "plan", description = "A dry run on the live fleet: which nodes fall in which wave, which a cap leaves"
      + " out, which match no wave, which are not Ready now.")
  static final class Plan extends Sub {
    @Parameters(paramLabel = "NAME", arity = "0..1")
    String name;
    @Option(names = {"-f", "--filename"}, description = "A ContentRollout manifest not applied yet.")
    File file;

    @Override
    public Integer call() throws Exception {
      ContentRollout rollout = file != null
          ? Serialization.unmarshal(Files.readString(file.toPath()), ContentRollout.class) : cli.rollout(name, spec.commandLine());
      out().print(PlanView.render(rollout.getMetadata().getName(), rollout.getSpec(),
          cli.client().nodes().list().getItems()));
      return 0;
    }
  }

  @Command(name = "status", description = "Wait until the rollout settles; the exit code says how: 0 Succeeded,"
      + " 1 RolledBack or Rejected, 2 Halted (waits for a person), 3 timed out, 4 not found.")
  static final class Status extends Named {
    @Option(names = "--timeout", defaultValue = "10m", description = "How long to wait (default ${DEFAULT-VALUE}).")
    String timeout;

    @Override
    public Integer call() throws Exception {
      Instant deadline = cli.clock.instant().plus(Durations.parse(timeout, Duration.ofMinutes(10)));
      while (true) {
        ContentRollout rollout = cli.client().resources(ContentRollout.class).withName(name).get();
        if (rollout == null) {
          out().println("no ContentRollout " + name);
          return NOT_FOUND;
        }
        ContentRolloutStatus s = rollout.getStatus();
        boolean current = s != null && s.getObservedGeneration() != null
            && s.getObservedGeneration() >= rollout.getMetadata().getGeneration();
        RolloutPhase phase = s == null ? null : s.getPhase();
        if (current && phase != null) {
          switch (phase) {
            case Succeeded -> {
              out().println(name + " Succeeded: " + dash(s.getMessage()));
              return SUCCEEDED;
            }
            case RolledBack, Rejected -> {
              out().println(name + " " + phase + ": " + dash(s.getMessage()));
              return FAILED;
            }
            case Halted -> {
              out().println(name + " Halted: " + dash(s.getMessage()));
              return HALTED;
            }
            default -> { }
          }
        }
        if (!cli.clock.instant().isBefore(deadline)) {
          out().println(name + " still " + (phase == null ? "unobserved" : phase) + " after " + timeout);
          return TIMED_OUT;
        }
        Thread.sleep(1000);
      }
    }
  }

  @Command(name = "history", description = "How the last revisions ended, and the revisions never retried on their own.")
  static final class History extends Named {

    @Override
    public Integer call() {
      ContentRolloutStatus s = rollout().getStatus();
      List<HistoryStatus> history = s == null || s.getHistory() == null ? List.of() : s.getHistory();
      out().printf("%-13s %-11s %-24s %-25s %s%n", "REVISION", "OUTCOME", "REASON", "STARTED", "FINISHED");
      for (HistoryStatus h : history) {
        out().printf("%-13s %-11s %-24s %-25s %s%n", Digests.shortRevision(h.getRevision()), h.getOutcome(),
            dash(h.getReason()), dash(h.getStartedAt()), dash(h.getFinishedAt()));
      }
      if (s != null && s.getFailedRevisions() != null && !s.getFailedRevisions().isEmpty()) {
        out().println("\nFailed (not retried on their own; kubectl wavegate retry " + name + "): "
            + s.getFailedRevisions().stream().map(Digests::shortRevision).collect(Collectors.joining(", ")));
      }
      return 0;
    }
  }

  abstract static class Act extends Named {

    abstract String patch();

    abstract String done();

    @Override
    public Integer call() {
      rollout();
      cli.client().resources(ContentRollout.class).withName(name).patch(PatchContext.of(PatchType.JSON_MERGE), patch());
      out().println(name + " " + done());
      return 0;
    }
  }

  @Command(name = "pause", description = "No further wave starts (spec.paused); health is still watched.")
  static final class Pause extends Act {
    String patch() { return "{\"spec\":{\"paused\":true}}"; }
    String done() { return "paused"; }
  }

  @Command(name = "resume", description = "Waves start again.")
  static final class Resume extends Act {
    String patch() { return "{\"spec\":{\"paused\":false}}"; }
    String done() { return "resumed"; }
  }

  @Command(name = "promote", description = "End the current wave's bake now; or go on past an inconclusive metric.")
  static final class Promote extends Act {
    String patch() { return annotation(RolloutAction.PROMOTE); }
    String done() { return "promoted"; }
  }

  @Command(name = "approve", description = "Start the wave that waits for approval (approval: Manual).")
  static final class Approve extends Act {
    String patch() { return annotation(RolloutAction.APPROVE); }
    String done() { return "approved: the waiting wave starts"; }
  }

  @Command(name = "abort", description = "Roll back now, whatever the rollback policy.")
  static final class Abort extends Act {
    String patch() { return annotation(RolloutAction.ABORT); }
    String done() { return "aborted: rolling back"; }
  }

  @Command(name = "retry", description = "Try a failed revision again (removes it from failedRevisions).")
  static final class Retry extends Act {
    String patch() { return annotation(RolloutAction.RETRY); }
    String done() { return "retried"; }
  }

  @Command(name = "stop", description = "Stop the line: abort every rollout in flight, on every channel (or only those"
      + " of --revision). Each revision is revoked in one write per channel: every node holding it goes back to its"
      + " channel's stable revision at once.")
  static final class Stop extends Sub {

    @Option(names = "--revision", paramLabel = "SHA256", description = "Only the rollouts of this revision (its sha256,"
        + " or the first 12 or more hex of it).")
    String revision;

    @Override
    public Integer call() {
      if (revision != null && !revision.matches("[0-9a-f]{12,64}")) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--revision takes the sha256 of the content, or"
            + " at least its first 12 hex characters: " + revision);
      }
      int stopped = 0;
      for (ContentRollout r : cli.client().resources(ContentRollout.class).list().getItems()) {
        ContentRolloutStatus s = r.getStatus();
        String digest = r.getSpec() == null || r.getSpec().getContent() == null ? null : r.getSpec().getContent().getSha256();
        boolean inFlight = s != null && s.getPhase() != null && s.getPhase().inFlight();
        if (!inFlight || digest == null || revision != null && !digest.startsWith(revision)) {
          continue;
        }
        cli.client().resources(ContentRollout.class).withName(r.getMetadata().getName())
            .patch(PatchContext.of(PatchType.JSON_MERGE), annotation(RolloutAction.ABORT));
        out().printf("%-28s aborted: revision %s revoked, nodes go back to %s%n", r.getMetadata().getName(),
            digest.substring(0, 12), s.getStableRevision() == null ? "no content (no stable revision)"
                : "stable revision " + s.getStableRevision());
        stopped++;
      }
      out().println(stopped == 0 ? "no rollout in flight" + (revision == null ? "" : " with revision " + revision)
          : stopped + " rollout(s) stopped; watch them with: kubectl get contentrevocations; kubectl wavegate list");
      return 0;
    }
  }

  static String annotation(RolloutAction action) {
    return "{\"metadata\":{\"annotations\":{\"" + action.annotation() + "\":\"true\"}}}";
  }

  static String dash(Object value) {
    return value == null || Objects.toString(value).isEmpty() ? "-" : Objects.toString(value);
  }
}
