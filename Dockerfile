# syntax=docker/dockerfile:1
# Tongban gateway: one city's gateway per container (docs/operations.md).
#   docker build -t tongban .
#   docker run -e TONGBAN_CITY=230100 -e DATABASE_URL=postgres://… \
#     -v /srv/tongban/keys:/keys:ro -e TONGBAN_KEYS_DIR=/keys -p 8080:8080 tongban
# The process runs as node (uid 1000): chown -R 1000:1000 the keys folder before mounting it.
# The CLI is on PATH as `tongban`: docker run --rm tongban tongban --help,
#   docker exec <container> tongban config validate (not `npx tongban`, which fails here).

ARG NODE_VERSION=20.19

# ---- build: full dependencies, TypeScript → dist/ ------------------------------------------
FROM node:${NODE_VERSION}-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY contracts ./contracts
COPY city-configs ./city-configs
COPY adapters ./adapters
COPY gateway ./gateway
RUN npm run build \
 && npm prune --omit=dev --no-audit --no-fund \
 && rm -rf node_modules/.cache

# ---- runtime: production dependencies and dist/ only, not root ------------------------------
FROM node:${NODE_VERSION}-bookworm-slim AS runtime
# NODE_OPTIONS: a 32 MB young generation (bench/node-flags.ts says why; keep the two in step).
ENV NODE_ENV=production \
    NODE_OPTIONS=--max-semi-space-size=32 \
    TONGBAN_HOST=0.0.0.0 \
    TONGBAN_PORT=8080 \
    TONGBAN_DATA_DIR=/data
WORKDIR /app
COPY --from=build --chown=root:root /app/package.json ./package.json
COPY --from=build --chown=root:root /app/node_modules ./node_modules
COPY --from=build --chown=root:root /app/dist ./dist
COPY --chown=root:root bin ./bin
# The app is read-only for the user it runs as; only /data (embedded store, generated keys) is
# writable. Mount keys read-only and point TONGBAN_KEYS_DIR at them in production.
# /usr/local/bin/tongban links to bin/tongban.js (mode 755, `#!/usr/bin/env node`), which finds
# dist/ from its real path. `npx tongban` fails here: npx links /app into npm's cache and cannot
# change the mode of the root-owned bin/tongban.js.
RUN mkdir -p /data && chown node:node /data \
 && ln -s /app/bin/tongban.js /usr/local/bin/tongban
VOLUME ["/data"]
USER node
EXPOSE 8080
# Ready = database reachable, configs and keys loaded, no ledger alarm (GET /readyz).
# bin/healthcheck.js finds the port as serve does: a --port after the image name, else TONGBAN_PORT.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "bin/healthcheck.js"]
# bin/tongban.js runs dist/ when present. City, database and keys come from the environment
# (TONGBAN_CITY, DATABASE_URL, TONGBAN_KEYS_DIR …); flags given after the image name win.
CMD ["node", "bin/tongban.js", "serve"]
