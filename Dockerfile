# syntax=docker/dockerfile:1
# Two images, one per target, as the Helm chart runs them:
#   docker build --target operator -t ghcr.io/wavegate/wavegate:0.1.0 .
#   docker build --target agent    -t ghcr.io/wavegate/wavegate-agent:0.1.0 .
# docs/image.md has the Jib path (no Dockerfile, no daemon needed to push) and loading into kind/k3s.

FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/root/.m2 ./mvnw -B -ntp -pl operator,agent -am package -DskipTests

# The agent's runtime: only the JDK modules it uses (jlink), and a class-data archive of its own
# classes made by a training run (AppCDS), so that it starts fast and shares read-only class data.
FROM eclipse-temurin:17-jdk AS agent-runtime
COPY --from=build /src/agent/target/wavegate-agent.jar /app/wavegate-agent.jar
RUN jlink --add-modules java.base,java.logging,java.naming,java.net.http,java.management,jdk.httpserver,jdk.crypto.ec,jdk.unsupported \
      --strip-debug --no-man-pages --no-header-files --compress=2 --output /opt/jre \
 && /opt/jre/bin/java -Xshare:dump -XX:SharedArchiveFile=/app/wavegate-agent.jsa -version \
 && /opt/jre/bin/java -XX:ArchiveClassesAtExit=/app/wavegate-agent.jsa -jar /app/wavegate-agent.jar guard \
      || true

FROM debian:bookworm-slim AS agent
COPY --from=agent-runtime /opt/jre /opt/jre
COPY --from=agent-runtime /app /app
# Root only to write into the node's root-owned content directory (the chart drops every capability).
ENTRYPOINT ["/opt/jre/bin/java", "-XX:+UseSerialGC", "-Xmx24m", "-Xss256k", "-XX:TieredStopAtLevel=1", \
  "-XX:ReservedCodeCacheSize=16m", "-XX:MaxMetaspaceSize=48m", "-XX:-UsePerfData", \
  "-XX:SharedArchiveFile=/app/wavegate-agent.jsa", "-Xshare:auto", "-jar", "/app/wavegate-agent.jar"]
CMD ["run"]

FROM eclipse-temurin:17-jre AS operator
COPY --from=build /src/operator/target/wavegate.jar /app/wavegate.jar
# A fixed numeric non-root user, so that runAsNonRoot can verify it.
USER 65532:65532
ENTRYPOINT ["java", "-jar", "/app/wavegate.jar"]
CMD ["operator"]
