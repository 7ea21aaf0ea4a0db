# syntax=docker/dockerfile:1
# Two images, one per target, as the Helm chart runs them:
#   docker build --target operator -t ghcr.io/wavegate/wavegate:0.1.0 .
#   docker build --target agent    -t ghcr.io/wavegate/wavegate-agent:0.1.0 .
# docs/image.md has the Jib path (no Dockerfile, no daemon needed to push) and loading into kind/k3s.

FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/root/.m2 ./mvnw -B -ntp -pl operator,agent -am package -DskipTests

# The agent's runtime: only the JDK modules it uses (jlink, agent/jvm.properties), with its class-data
# archive regenerated. docs/benchmarks.md gives what jlink and an AppCDS archive each saved.
FROM eclipse-temurin:17-jdk AS agent-runtime
COPY --from=build /src/agent/target/wavegate-agent.jar /app/wavegate-agent.jar
COPY agent/jvm.properties /app/jvm.properties
RUN jlink --add-modules "$(sed -n 's/^AGENT_MODULES=//p' /app/jvm.properties)" \
      --strip-debug --no-man-pages --no-header-files --output /opt/jre \
 && /opt/jre/bin/java -Xshare:dump

FROM debian:bookworm-slim AS agent
COPY --from=agent-runtime /opt/jre /opt/jre
COPY --from=agent-runtime /app /app
# Root only to write into the node's root-owned content directory (the chart drops every capability).
# The JVM flags come from the chart (agent.javaOptions, as JAVA_TOOL_OPTIONS).
ENTRYPOINT ["/opt/jre/bin/java", "-jar", "/app/wavegate-agent.jar"]
CMD ["run"]

FROM eclipse-temurin:17-jre AS operator
COPY --from=build /src/operator/target/wavegate.jar /app/wavegate.jar
# A fixed numeric non-root user, so that runAsNonRoot can verify it.
USER 65532:65532
ENTRYPOINT ["java", "-jar", "/app/wavegate.jar"]
CMD ["operator"]
