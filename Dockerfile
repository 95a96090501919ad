# Keel console image, for docker-compose.yml. Not used by `npm run demo` / `npm test`.
FROM node:20-bookworm-slim AS build
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1
COPY package.json package-lock.json ./
RUN npm install --no-audit --no-fund
COPY . .
RUN bash scripts/prisma-generate.sh && npx next build

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1 KEEL_DATA_DIR=/data
COPY --from=build /app /app
RUN mkdir -p /data
VOLUME ["/data"]
EXPOSE 3000
# Migrations are applied with pg alone (no Prisma engine download), then the console starts.
CMD ["sh", "-c", "npx tsx scripts/db/apply-migrations.ts && npx tsx scripts/create-admin.ts && exec node node_modules/next/dist/bin/next start -H 0.0.0.0 -p 3000"]
