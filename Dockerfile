# syntax=docker/dockerfile:1
# The wavegate image: one jar, two entrypoints (args: operator | agent), as the Helm chart runs it.
#   docker build -t ghcr.io/wavegate/wavegate:0.1.0 .
# docs/image.md has the Jib path (no Dockerfile, no daemon needed to push) and loading into kind/k3s.

FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/root/.m2 ./mvnw -B -ntp -pl operator -am package -DskipTests

FROM eclipse-temurin:17-jre
COPY --from=build /src/operator/target/wavegate.jar /app/wavegate.jar
# A fixed numeric non-root user, so that runAsNonRoot can verify it. The chart's agent overrides it
# with root only to write into the node's root-owned content directory (all capabilities dropped).
USER 65532:65532
ENTRYPOINT ["java", "-jar", "/app/wavegate.jar"]
CMD ["operator"]
