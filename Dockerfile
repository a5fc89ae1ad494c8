# Bridgework container image: front end, Go build, small runtime.

FROM node:20-bookworm-slim AS web
WORKDIR /src/web
COPY web/ ./
# The bundle is committed; rebuild it when the front-end sources are present.
RUN if [ -f package-lock.json ]; then npm ci && npm run build; fi

FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
COPY --from=web /src/web/dist ./web/dist
ARG VERSION=dev
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/bridgework ./cmd/bridgework

FROM alpine:3.20
RUN addgroup -S bridgework && adduser -S -G bridgework -h /data bridgework \
    && apk add --no-cache ca-certificates tzdata
COPY --from=build /out/bridgework /usr/local/bin/bridgework
USER bridgework
WORKDIR /data
VOLUME /data
# Inside a container the server must listen on every interface.
ENV BRIDGEWORK_LISTEN=0.0.0.0:8080 \
    BRIDGEWORK_DATABASE_URL=sqlite:///data/bridgework.db \
    BRIDGEWORK_LOG_FORMAT=json
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD wget -q -O /dev/null http://127.0.0.1:8080/healthz || exit 1
ENTRYPOINT ["bridgework"]
CMD ["serve"]
