# syntax=docker/dockerfile:1
# The Lägesbild hub: one image for every hub instance (docker-compose.yml runs two).
#
#   docker build -t lagesbild-hub .
#   docker run -p 8080:8080 lagesbild-hub        # one hub, embedded journal log in /app/data
#
# Configuration is environment variables only (server/src/base/config.ts).

# ---- build: every dependency, then the client bundle -------------------------------------
FROM node:20-bookworm-slim AS build
WORKDIR /app
# Manifests first, so the npm layer is rebuilt only when dependencies change.
COPY package.json package-lock.json ./
COPY shared/package.json shared/
COPY server/package.json server/
COPY client/package.json client/
COPY test/package.json test/
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build -w client

# ---- runtime: server and shared dependencies only, plus tsx ------------------------------
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8080 \
    DATA_DIR=/app/data
WORKDIR /app
COPY package.json package-lock.json ./
COPY shared/package.json shared/
COPY server/package.json server/
COPY client/package.json client/
COPY test/package.json test/
# Only the server's and shared's production dependencies (about 50 MB instead of 250 MB
# with the client toolchain and the test tools); tsx, which runs the hub's TypeScript, is
# one of the server's dependencies.
RUN npm ci --omit=dev --no-audit --no-fund -w server -w shared \
 && npm cache clean --force
COPY tsconfig.base.json tsconfig.json ./
COPY shared shared
COPY server server
COPY --from=build /app/client/dist client/dist
# The code stays root-owned and read-only to the hub; only the journal directory (used
# when REDIS_URL is not set) is writable.
RUN mkdir -p /app/data && chown node:node /app/data
USER node

# Fail the build, not the first start, if the hub's module graph does not load with the
# production dependencies (a package the server imports but only the client or the tests
# declare would otherwise surface as a crash loop). hub.ts has no side effects on import.
# Run as the hub's own user, so tsx's compile cache (per user, under /tmp) is in the image
# and a new container, or a hub restarted after a crash, does not compile everything again.
RUN node --import tsx --input-type=module -e "await import('./server/src/start-hub.ts');" \
 && test -f server/src/main.ts \
 && test -f client/dist/index.html

EXPOSE 8080
# /healthz means "the process serves HTTP"; /readyz (log reachable) is for load balancers
# and alerts, not for restarting a container whose Redis is briefly away. The slim image
# has no curl, so Node's fetch does the probe. 127.0.0.1 works because HOST is 0.0.0.0.
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8080) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

# `node --import tsx` is tsx's loader inside a single process: the hub itself is PID 1 and
# receives SIGTERM from `docker stop` directly (main.ts closes cleanly on it), where the
# `tsx` CLI would add a supervising parent process in between.
CMD ["node", "--import", "tsx", "server/src/main.ts"]
