# sluice in a container: `docker build -t sluice .` then
#   docker run -p 8083:8083 -v $PWD/config:/config sluice standalone /config/worker.properties /config/connector.properties
FROM node:20-bookworm AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 g++ make libssl-dev libsasl2-dev zlib1g-dev libzstd-dev liblz4-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /opt/sluice
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY native ./native
COPY src ./src
COPY bin ./bin
RUN npm ci && npm prune --omit=dev

FROM node:20-bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends libssl3 libsasl2-2 zlib1g libzstd1 liblz4-1 \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /opt/sluice
COPY --from=build /opt/sluice /opt/sluice
EXPOSE 8083
ENTRYPOINT ["node", "/opt/sluice/bin/sluice.js"]
