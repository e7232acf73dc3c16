# One image for every NotifyKit process; docker-compose.yml picks the entry point per service.
# Node 24 runs our TypeScript sources directly (type stripping), so there is no build stage.
FROM node:24-slim
ENV PNPM_HOME=/pnpm PATH=/pnpm:$PATH NODE_ENV=production
RUN npm install -g pnpm@10.34.9
WORKDIR /app
COPY pnpm-lock.yaml pnpm-workspace.yaml package.json ./
COPY apps/api/package.json apps/api/
COPY apps/email-worker/package.json apps/email-worker/
COPY apps/webhook-worker/package.json apps/webhook-worker/
COPY packages/core/package.json packages/core/
COPY packages/db/package.json packages/db/
COPY packages/queue/package.json packages/queue/
COPY packages/runtime/package.json packages/runtime/
COPY packages/testing/package.json packages/testing/
RUN pnpm install --frozen-lockfile --prod
COPY apps apps
COPY packages packages
USER node
