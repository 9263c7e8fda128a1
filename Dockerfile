# One image, two commands: `api` (webhook intake, management API, inbox relay) and `worker` (workflows and
# activities; run as many as you like). Temporal and PostgreSQL are separate services (docker-compose.yml).
#   docker build -t procore-acumatica-connector .
#   docker run --env-file .env procore-acumatica-connector api
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
COPY packages ./packages
RUN npm ci --omit=dev --no-audit --no-fund
COPY . .
# The worker runs a prebuilt workflow bundle (workers/workflow-bundle.ts); build it into the image.
RUN npx tsx scripts/build-workflow-bundle.ts
USER node
EXPOSE 3000
ENV API_HOST=0.0.0.0 API_PORT=3000
ENTRYPOINT ["/app/deploy/entrypoint.sh"]
CMD ["api"]
