# snakepit as a container image: one command to self-host the game.
#
#   docker build -t snakepit .
#   docker run -d -p 3000:3000 -v snakepit-data:/data --name snakepit snakepit
#
# Two stages. `build` installs every dependency and runs `npm run build` (tsc -b for shared/ and
# server/, vite for client/), all inside the image: the host's node_modules and dist folders are
# kept out by .dockerignore. `runtime` installs the production dependencies of the server and
# shared workspaces only (not the client's: pixi.js is bundled into client/dist and would add
# ~90 MB) and copies in the three dist folders. No sources, tests or dev tools in the result.
# Settings are environment variables (see .env.example and the README's Configuration table).

# ---- build: compile shared/ and server/, bundle client/ ----
FROM node:24-bookworm-slim AS build
WORKDIR /src

# The manifests first, so the npm ci layer is reused until a dependency changes.
COPY package.json package-lock.json ./
COPY shared/package.json shared/
COPY server/package.json server/
COPY client/package.json client/
RUN npm ci --no-audit --no-fund

COPY tsconfig.json tsconfig.base.json ./
COPY shared/ shared/
COPY server/ server/
COPY client/ client/
RUN npm run build

# ---- runtime: production dependencies and built files, run as `node` ----
FROM node:24-bookworm-slim AS runtime
# The app never reads NODE_ENV; npm does (no dev dependencies). DATA_DIR is where the server keeps
# what must outlive it: mount a volume there (compose.yaml does). No VOLUME line on purpose: it
# would leave an anonymous volume behind on every `docker run` without -v.
ENV NODE_ENV=production \
    DATA_DIR=/data
WORKDIR /app

# The workspace manifests make node_modules/@snakepit/shared a link to ./shared, so the server's
# `import '@snakepit/shared'` finds shared/dist through its package.json "exports".
COPY package.json package-lock.json ./
COPY shared/package.json shared/
COPY server/package.json server/
COPY client/package.json client/
RUN npm ci --omit=dev --workspace=shared --workspace=server --include-workspace-root \
        --ignore-scripts --no-audit --no-fund \
 && rm -rf /root/.npm /tmp/* \
 && mkdir -p /data \
 && chown node:node /data

# Owned by root and read-only to the server: it only ever writes to DATA_DIR.
COPY --from=build /src/shared/dist shared/dist/
COPY --from=build /src/server/dist server/dist/
COPY --from=build /src/client/dist client/dist/

USER node
EXPOSE 3000
# No curl in slim images: Node's fetch, with a timeout, on the port the server listens on.
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
    CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz',{signal:AbortSignal.timeout(4000)}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# Exec form, no npm and no shell: node is PID 1 and gets SIGTERM itself. The server closes every
# socket with 1001 ("server shutting down"; pages say the server is restarting), stops the room loops and exits, well within 5 s.
# --max-semi-space-size=64 (MB): a busy server makes short-lived garbage every tick, and a larger
# young generation collects it far less often (`npm run bench -- --scenario capacity` shows the
# server's GC share; bench/RESULTS.md has the runs with and without it). The same flag is in
# `npm start` and the bench's server.
STOPSIGNAL SIGTERM
CMD ["node", "--max-semi-space-size=64", "server/dist/main.js"]
