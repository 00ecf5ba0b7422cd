# syntax=docker/dockerfile:1
# Copydesk: one image for every instance of a cluster (see docker-compose.yml).

# ---- build: every dependency, then the compiled server (tsc -b) and the client bundle ----
FROM node:20-bookworm-slim AS build
WORKDIR /app
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
COPY packages/protocol/package.json packages/protocol/
COPY packages/article-doc/package.json packages/article-doc/
COPY server/package.json server/
COPY client/package.json client/
COPY e2e/package.json e2e/
COPY bench/package.json bench/
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts scripts
COPY packages packages
COPY server server
COPY client client
RUN npm run build

# ---- runtime: production dependencies only, non-root ----
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    PORT=3000 \
    HOST=0.0.0.0 \
    DATA_DIR=/app/data
WORKDIR /app
COPY package.json package-lock.json ./
COPY packages/protocol/package.json packages/protocol/
COPY packages/article-doc/package.json packages/article-doc/
COPY server/package.json server/
COPY client/package.json client/
COPY e2e/package.json e2e/
COPY bench/package.json bench/
# Build tools only for native modules (better-sqlite3), removed in the same layer.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && npm ci --omit=dev --no-audit --no-fund \
 && npm cache clean --force \
 && apt-get purge -y python3 make g++ && apt-get autoremove -y \
 && rm -rf /var/lib/apt/lists/*
# Compiled JavaScript only: no TypeScript sources, no tests or test support (never compiled).
COPY --from=build /app/packages/protocol/dist packages/protocol/dist
COPY --from=build /app/packages/article-doc/dist packages/article-doc/dist
COPY --from=build /app/server/dist server/dist
COPY --from=build /app/client/dist client/dist
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# SIGTERM: stop taking connections, flush every document, close sockets with 1001 (clients reconnect elsewhere).
STOPSIGNAL SIGTERM
# Accounts: `docker compose exec app node server/dist/auth/user-cli.js add ...` (README: the first lead).
CMD ["node", "server/dist/main.js"]
