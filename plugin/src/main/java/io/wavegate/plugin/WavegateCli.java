package io.wavegate.plugin;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.wavegate.api.ContentMetricTemplate;
import io.wavegate.api.ContentRollout;
import io.wavegate.api.ContentRolloutStatus;
import io.wavegate.api.ContentUpdatePolicy;
import io.wavegate.plan.LabelSelectors;
import io.wavegate.plan.PlanNode;
import io.wavegate.plan.WavePlan;
import io.wavegate.plan.WavePlanner;
import io.wavegate.plan.WaveRules;
import io.wavegate.policy.Hold;
import io.wavegate.policy.HoldReason;
import io.wavegate.policy.UpdatePolicies;
import io.wavegate.policy.UpdatePolicy;
import java.util.Optional;
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
@Command(name = "kubectl wavegate", mixinStandardHelpOptions = true, scope = CommandLine.ScopeType.INHERIT,
    version = "wavegate 0.1.0",
    description = "Watch and steer wavegate ContentRollouts.",
    subcommands = {WavegateCli.Get.class, WavegateCli.ListRollouts.class, WavegateCli.Nodes.class,
        WavegateCli.Plan.class, WavegateCli.Status.class, WavegateCli.History.class, WavegateCli.Pause.class,
        WavegateCli.Resume.class, WavegateCli.Promote.class, WavegateCli.Approve.class, WavegateCli.Abort.class,
        WavegateCli.Retry.class, WavegateCli.Stop.class, WavegateCli.Policies.class, WavegateCli.Templates.class, WavegateCli.Pin.class,
        WavegateCli.Unpin.class, WavegateCli.OverridePolicy.class, WavegateCli.DashboardCommand.class,
        WavegateCli.Lint.class, WavegateCli.UndoCommand.class, WavegateCli.WarmUp.class})
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
      HttpClientStop.stop(cli.client);
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

  /** The update policies that govern a rollout's channel, as the operator evaluates them now. */
  UpdatePolicies policiesFor(ContentRollout rollout) {
    return policiesFor(rollout, client().resources(ContentUpdatePolicy.class).list().getItems(), clock.instant());
  }

  static UpdatePolicies policiesFor(ContentRollout rollout, List<ContentUpdatePolicy> policies, Instant now) {
    List<String> failed = rollout.getStatus() == null || rollout.getStatus().getFailedRevisions() == null ? List.of()
        : rollout.getStatus().getFailedRevisions();
    return UpdatePolicies.forRollout(rollout, policies, java.util.Set.copyOf(failed), now);
  }

  /** When the rollout's revision became generally available (status.generallyAvailableAt), or null. */
  static Instant generallyAvailableAt(ContentRollout rollout) {
    return rollout.getStatus() == null || rollout.getStatus().getGenerallyAvailableAt() == null ? null
        : Instant.parse(rollout.getStatus().getGenerallyAvailableAt());
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
      String poolLabel = rollout.getSpec().getStrategy().poolLabelOrDefault();
      String digest = rollout.getSpec().getContent().getSha256();
      UpdatePolicies policies = cli.policiesFor(rollout);
      String stable = rollout.getStatus() == null ? null : rollout.getStatus().getStableDigest();
      List<Node> nodes = cli.client().nodes().list().getItems().stream()
          .sorted(java.util.Comparator.comparing(n -> n.getMetadata().getName(), NaturalOrder.INSTANCE)).toList();
      // as the operator: only nodes of the plan are ever held
      WavePlan plan = WavePlanner.plan(name, poolLabel, WaveRules.from(rollout.getSpec().getStrategy()), nodes.stream()
          .filter(n -> LabelSelectors.matches(rollout.getSpec().getNodeSelector(), LabelSelectors.labelsOf(n)))
          .map(n -> new PlanNode(n.getMetadata().getName(), LabelSelectors.labelsOf(n), Optional.empty())).toList());
      Map<String, NodeContent> contents = cli.client().resources(NodeContent.class).list().getItems().stream()
          .collect(Collectors.toMap(c -> c.getMetadata().getName(), c -> c));
      String format = "%-32s %-10s %-10s %-13s %-13s %-8s %-14s %s%n";
      out().printf(format, "NODE", "POOL", "WAVE", "DESIRED", "REPORTED", "STATE", "REASON", "POLICY");
      for (Node node : nodes) {
        String nodeName = node.getMetadata().getName();
        Map<String, String> labels = LabelSelectors.labelsOf(node);
        NodeContent content = contents.get(nodeName);
        var assignment = NodeContents.assignment(content, name);
        var report = NodeContents.report(content, name);
        Optional<Hold> hold = plan.waveOf(nodeName).isEmpty() || assignment.map(a -> a.revision().equals(digest)).orElse(false)
            ? Optional.empty() : policies.hold(nodeName, labels, digest, generallyAvailableAt(rollout));
        if (assignment.isEmpty() && report.isEmpty() && hold.isEmpty()) {
          continue;
        }
        out().printf(format, nodeName, dash(labels.get(poolLabel)),
            dash(assignment.map(Assignment::wave).orElse(null)),
            dash(Digests.shortRevision(assignment.map(Assignment::revision).orElse(null))),
            dash(Digests.shortRevision(report.map(AgentReport::revision).orElse(null))),
            dash(report.map(AgentReport::state).orElse(null)), dash(report.map(AgentReport::reason).orElse(null)),
            policy(policies, labels, hold, stable));
      }
      return 0;
    }

    /** The governing policy, and why it holds the node and until when; a pin below the stable revision says so. */
    private static String policy(UpdatePolicies policies, Map<String, String> labels, Optional<Hold> hold,
        String stable) {
      Optional<UpdatePolicy> governing = policies.governing(labels);
      boolean belowStable = hold.map(h -> h.reason() == HoldReason.Pinned).orElse(false) && stable != null
          && governing.flatMap(UpdatePolicy::pin).map(p -> !p.revision().equals(stable)).orElse(false);
      return governing.map(UpdatePolicy::name).orElse("-") + hold.map(h -> " (held: " + h.reason()
          + h.until().map(u -> " until " + u).orElse("") + (belowStable ? ", pinned below the stable revision "
          + Digests.shortRevision(stable) : "") + ")").orElse("");
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
      boolean applied = rollout.getStatus() != null;
      out().print(PlanView.render(rollout.getMetadata().getName(), rollout.getSpec(),
          cli.client().nodes().list().getItems(), cli.policiesFor(rollout),
          applied ? generallyAvailableAt(rollout) : null, applied ? rollout.getStatus().getStableDigest() : null));
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
    @Option(names = {"-o", "--output"}, paramLabel = "wide", description = "wide: the times themselves, besides how"
        + " long ago.")
    String output;

    @Override
    public Integer call() {
      if (output != null && !output.equals("wide")) {
        throw new CommandLine.ParameterException(spec.commandLine(), "-o takes wide: " + output);
      }
      boolean wide = "wide".equals(output);
      ContentRolloutStatus s = rollout().getStatus();
      List<HistoryStatus> history = s == null || s.getHistory() == null ? List.of() : s.getHistory();
      String format = wide ? "%-13s %-11s %-24s %-9s %-9s %-21s %s%n" : "%-13s %-11s %-24s %-9s %s%n";
      out().printf(format, wide ? new Object[] {"REVISION", "OUTCOME", "REASON", "STARTED", "TOOK", "STARTED AT",
          "FINISHED AT"} : new Object[] {"REVISION", "OUTCOME", "REASON", "STARTED", "TOOK"});
      Instant now = cli.clock.instant();
      for (HistoryStatus h : history) {
        Instant started = instant(h.getStartedAt());
        Instant finished = instant(h.getFinishedAt());
        String ago = started == null ? "-" : Ages.of(Duration.between(started, now)) + " ago";
        String took = started == null || finished == null ? "-" : Ages.of(Duration.between(started, finished));
        Object[] row = wide ? new Object[] {Digests.shortRevision(h.getRevision()), h.getOutcome(), dash(h.getReason()),
            ago, took, dash(toSecond(started)), dash(toSecond(finished))}
            : new Object[] {Digests.shortRevision(h.getRevision()), h.getOutcome(), dash(h.getReason()), ago, took};
        out().printf(format, row);
      }
      if (s != null && s.getFailedRevisions() != null && !s.getFailedRevisions().isEmpty()) {
        out().println("\nFailed (not retried on their own; kubectl wavegate retry " + name + "): "
            + s.getFailedRevisions().stream().map(Digests::shortRevision).collect(Collectors.joining(", ")));
      }
      return 0;
    }

    private static Instant instant(String time) {
      try {
        return time == null ? null : Instant.parse(time);
      } catch (java.time.format.DateTimeParseException e) {
        return null;
      }
    }

    private static String toSecond(Instant time) {
      return time == null ? null : time.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    }
  }

  abstract static class Act extends Named {

    abstract Steer steer();

    @Override
    public Integer call() {
      rollout();
      steer().apply(cli.client(), name);
      out().println(name + " " + steer().done());
      return 0;
    }
  }

  @Command(name = "pause", description = "No further wave starts (spec.paused); health is still watched.")
  static final class Pause extends Act {
    Steer steer() { return Steer.PAUSE; }
  }

  @Command(name = "resume", description = "Waves start again.")
  static final class Resume extends Act {
    Steer steer() { return Steer.RESUME; }
  }

  @Command(name = "promote", description = "End the current wave's bake now; or go on past an inconclusive metric.")
  static final class Promote extends Act {
    Steer steer() { return Steer.PROMOTE; }
  }

  @Command(name = "approve", description = "Start the wave that waits for approval (approval: Manual).")
  static final class Approve extends Act {
    Steer steer() { return Steer.APPROVE; }
  }

  @Command(name = "abort", description = "Roll back now, whatever the rollback policy.")
  static final class Abort extends Act {
    Steer steer() { return Steer.ABORT; }
  }

  @Command(name = "retry", description = "Try a failed revision again (removes it from failedRevisions).")
  static final class Retry extends Act {
    Steer steer() { return Steer.RETRY; }
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
      Steer.stop(cli.client(), revision).forEach(out()::println);
      return 0;
    }
  }

  @Command(name = "policies", description = "Every update policy: ring, what it selects, delay, pin, whether its windows"
      + " are open and when that changes, override, and the nodes it holds across rollouts.")
  static final class Policies extends Sub {
    @Override
    public Integer call() {
      out().print(PolicyView.render(cli.client().resources(ContentUpdatePolicy.class).list().getItems(),
          cli.client().resources(ContentRollout.class).list().getItems(), cli.clock.instant()));
      return 0;
    }
  }

  @Command(name = "templates", description = "Every metric template: generation, arguments, interval, thresholds, what"
      + " no data means, and the rollouts whose gates reference it with the generation each last measured (what an"
      + " edit reaches).")
  static final class Templates extends Sub {
    @Override
    public Integer call() {
      out().print(TemplateView.render(cli.client().resources(ContentMetricTemplate.class).list().getItems(),
          cli.client().resources(ContentRollout.class).list().getItems()));
      return 0;
    }
  }

  /** A command on one update policy: a node owner's lever. */
  abstract static class PolicyAct extends Sub {
    @Parameters(index = "0", paramLabel = "POLICY")
    String policy;

    void patch(String json, String done) {
      if (cli.client().resources(ContentUpdatePolicy.class).withName(policy).get() == null) {
        throw new CommandLine.ParameterException(spec.commandLine(), "no ContentUpdatePolicy " + policy);
      }
      cli.client().resources(ContentUpdatePolicy.class).withName(policy).patch(PatchContext.of(PatchType.JSON_MERGE),
          json);
      out().println(policy + " " + done);
    }
  }

  @Command(name = "pin", description = "Keep the policy's nodes on one revision (critical channels still pass).")
  static final class Pin extends PolicyAct {
    @Parameters(index = "1", paramLabel = "SHA256", description = "The revision: the 64 hex of its sha256.")
    String revision;
    @Option(names = "--for", paramLabel = "DURATION", description = "Until now plus this long, e.g. 72h.")
    String duration;
    @Option(names = "--until", paramLabel = "TIME", description = "Until this RFC 3339 time.")
    String until;

    @Override
    public Integer call() {
      if (!revision.matches("[0-9a-f]{64}")) {
        throw new CommandLine.ParameterException(spec.commandLine(), "pin takes the 64 hex of the revision's sha256"
            + " (status.stableDigest, spec.content.sha256): " + revision);
      }
      String expiry = duration != null ? cli.clock.instant().plus(Durations.parse(duration, Duration.ZERO)).toString()
          : until;
      patch("{\"spec\":{\"pin\":{\"revision\":\"" + revision + "\",\"until\":"
          + (expiry == null ? "null" : "\"" + expiry + "\"") + "}}}",
          "pinned to " + Digests.shortRevision(revision) + (expiry == null ? "" : " until " + expiry));
      return 0;
    }
  }

  @Command(name = "unpin", description = "Remove the policy's pin: its nodes take the stable revision.")
  static final class Unpin extends PolicyAct {
    @Override
    public Integer call() {
      patch("{\"spec\":{\"pin\":null}}", "unpinned");
      return 0;
    }
  }

  @Command(name = "override", description = "allow: set every hold of the policy aside; pause: hold every new revision;"
      + " clear: the policy as written.")
  static final class OverridePolicy extends PolicyAct {
    @Parameters(index = "1", paramLabel = "allow|pause|clear")
    String what;

    @Override
    public Integer call() {
      String value = switch (what) {
        case "allow" -> "\"Allow\"";
        case "pause" -> "\"Pause\"";
        case "clear" -> "null";
        default -> throw new CommandLine.ParameterException(spec.commandLine(),
            "override takes allow, pause or clear: " + what);
      };
      patch("{\"spec\":{\"override\":" + value + "}}", "clear".equals(what) ? "override cleared"
          : "overridden: " + what);
      return 0;
    }
  }

  @Command(name = "dashboard", description = "A live fleet dashboard in your browser: the rollouts, their waves, health"
      + " and history, and a map of every node; served on 127.0.0.1 with your kubeconfig until interrupted.")
  static final class DashboardCommand extends Sub {
    @Option(names = "--port", defaultValue = "3200", description = "Port to serve on (default ${DEFAULT-VALUE}).")
    int port;
    @Option(names = "--address", defaultValue = "127.0.0.1", description = "Address to serve on (default"
        + " ${DEFAULT-VALUE}); another needs --allow-remote.")
    String address;
    @Option(names = "--read-only", description = "No actions: the page shows, it does not steer.")
    boolean readOnly;
    @Option(names = "--allow-remote", description = "Serve on a non-loopback address. Anyone who opens the page acts"
        + " with your kubeconfig's rights; the page then needs the token in the URL printed below.")
    boolean allowRemote;

    @Override
    public Integer call() throws Exception {
      try (Dashboard dashboard = Dashboard.start(cli.client(), new Dashboard.Options(address, port, readOnly,
          allowRemote), cli.clock)) {
        out().println("wavegate dashboard on " + dashboard.url() + (readOnly ? " (read-only)" : "")
            + "; Ctrl-C to stop");
        out().flush();
        new CountDownLatch(1).await();
      }
      return 0;
    }
  }

  @Command(name = "undo", description = "Go back to an earlier revision from the history: by default it goes out again"
      + " through the waves from the operator's snapshot of it; --fast revokes the revision in flight instead (every"
      + " node back on the stable revision at once). A revision that failed before needs --force.")
  static final class UndoCommand extends Named {
    @Option(names = "--to-revision", paramLabel = "SHA256", description = "The revision (at least 12 hex of its"
        + " sha256); default: the newest one that succeeded before the current one.")
    String toRevision;
    @Option(names = "--fast", description = "Revoke the revision in flight: every node back on the stable revision at"
        + " once.")
    boolean fast;
    @Option(names = "--force", description = "Roll out a revision that failed before (and retry it).")
    boolean force;
    @Option(names = "--snapshot-namespace", paramLabel = "NAMESPACE", description = "Where the operator keeps"
        + " snapshots (chart value snapshots.namespace); default: read from the nodes' assignments.")
    String snapshotNamespace;

    @Override
    public Integer call() {
      ContentRollout rollout = rollout();
      String namespace = snapshotNamespace != null ? snapshotNamespace : snapshotNamespace();
      Undo.Outcome outcome = Undo.plan(rollout, toRevision, force, fast, revision -> snapshot(namespace, revision));
      if (outcome instanceof Undo.Refused refused) {
        spec.commandLine().getErr().println("error: " + refused.why());
        return 1;
      }
      Undo.Patch patch = (Undo.Patch) outcome;
      cli.client().resources(ContentRollout.class).withName(name).patch(PatchContext.of(PatchType.JSON_MERGE),
          patch.patch());
      out().println(name + " " + patch.said());
      return 0;
    }

    /** The namespace of the snapshots the nodes are assigned, as the operator writes them; the chart's default. */
    private String snapshotNamespace() {
      return cli.client().resources(NodeContent.class).list().getItems().stream()
          .flatMap(c -> NodeContents.assignment(c, name).stream()).map(Assignment::snapshot)
          .filter(r -> r != null && r.contains("/")).map(r -> r.substring(0, r.indexOf('/'))).findFirst()
          .orElse("wavegate-snapshots");
    }

    private Optional<io.fabric8.kubernetes.api.model.HasMetadata> snapshot(String namespace, String revision) {
      String snapshot = io.wavegate.contract.SnapshotFormat.name(name, revision);
      io.fabric8.kubernetes.api.model.HasMetadata found = cli.client().configMaps().inNamespace(namespace)
          .withName(snapshot).get();
      return Optional.ofNullable(found != null ? found
          : cli.client().secrets().inNamespace(namespace).withName(snapshot).get());
    }
  }

  /**
   * What the launcher runs once per jar to write the class-data archive the next commands start from: the
   * classes a command loads (the client, its HTTP stack and TLS, the model, the views), loaded without a
   * cluster: a call to a port nothing listens on fails at once.
   */
  @Command(name = "warm-up", hidden = true)
  static final class WarmUp extends Sub {
    @Override
    public Integer call() throws Exception {
      try (KubernetesClient client = new KubernetesClientBuilder().withConfig(new io.fabric8.kubernetes.client
          .ConfigBuilder().withMasterUrl("https://127.0.0.1:1").withRequestTimeout(1000).withConnectionTimeout(1000)
          .withRequestRetryBackoffLimit(0).build()).build()) {
        client.resources(ContentRollout.class).list();
      } catch (RuntimeException expected) {
        // nothing listens there: the classes of a call are loaded all the same
      }
      ContentRollout rollout = Serialization.unmarshal(Serialization.asYaml(new ContentRollout()), ContentRollout.class);
      rollout.getMetadata();
      new java.io.StringWriter().write(Serialization.asJson(Map.of("warm", true)));
      return 0;
    }
  }

  /** Exit codes of {@code lint}: 0 nothing wrong (warnings allowed), 1 an error (or a warning with --strict). */
  public static final int LINT_FAILED = 1;

  @Command(name = "lint", description = "Check ContentRollout and ContentMetricTemplate manifests offline: the CRDs'"
      + " own schemas and CEL rules, the templates against the rollouts that use them, then what a reviewer would"
      + " question. Exit 0: valid (warnings allowed); 1: an error (or, with --strict, a warning); 2: a file that"
      + " cannot be read.")
  static final class Lint extends Sub {
    @Option(names = {"-f", "--filename"}, required = true, paramLabel = "FILE", description = "Manifests (YAML, several"
        + " documents each; a directory: its .yaml and .yml files); other kinds are skipped.")
    List<File> files;
    @Option(names = "--strict", description = "Warnings fail too.")
    boolean strict;

    @Override
    public Integer call() throws Exception {
      ManifestLint.Report report = ManifestLint.check(files);
      report.lines().forEach(out()::println);
      out().println(report.summary());
      if (report.unreadable()) {
        return 2;
      }
      return report.errors() > 0 || strict && report.warnings() > 0 ? LINT_FAILED : 0;
    }
  }

  static String dash(Object value) {
    return value == null || Objects.toString(value).isEmpty() ? "-" : Objects.toString(value);
  }
}
