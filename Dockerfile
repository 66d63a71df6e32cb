# Helpline service image. Build: docker build -t helpline .
# Run:   docker run -p 5076:5076 -e HELPLINE_DB="Host=db;Database=helpline;Username=helpline;Password=..." helpline
# The GraphiQL page (src/GraphiQL, README "GraphiQL"): built by vite with node 20, copied into the host's build below.
FROM node:20-slim AS graphiql
WORKDIR /src/src/GraphiQL
COPY src/GraphiQL/package.json src/GraphiQL/package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error --fetch-retries=3
COPY src/GraphiQL/ ./
RUN npm run --silent build

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig Helpline.sln ./
COPY src/ src/
COPY --from=graphiql /src/src/GraphiQL/dist src/GraphiQL/dist
RUN dotnet publish src/Host/Helpline.Host.csproj -c Release -o /app --nologo

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
COPY --from=build /app ./
# The image's built-in non-root user (uid 1654).
USER app
ENV ASPNETCORE_URLS=http://0.0.0.0:5076 \
    Helpline__AdvertisedAddress=127.0.0.1 \
    DOTNET_gcServer=1
EXPOSE 5076 11111 30000
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 CMD curl -fsS http://127.0.0.1:5076/health || exit 1
ENTRYPOINT ["dotnet", "Helpline.Host.dll"]
