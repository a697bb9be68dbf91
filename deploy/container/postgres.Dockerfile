# A stand-in for the official postgres:15 image where no registry is reachable: Debian's
# postgresql-15 on the local base (deploy/container/base), with the same contract the compose file
# and the k8s manifests use: POSTGRES_PASSWORD, POSTGRES_USER, POSTGRES_DB, PGDATA
# (/var/lib/postgresql/data), port 5432, pg_isready. deploy/container/up tags it postgres:15.
ARG RUNTIME_IMAGE=debian:bookworm-slim
FROM ${RUNTIME_IMAGE}
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql-15 \
    && rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin /var/log/apt /var/log/dpkg.log
COPY deploy/container/postgres-entrypoint /usr/local/bin/docker-entrypoint.sh
ENV PATH=/usr/lib/postgresql/15/bin:$PATH \
    PGDATA=/var/lib/postgresql/data
EXPOSE 5432
STOPSIGNAL SIGINT
ENTRYPOINT ["docker-entrypoint.sh"]
CMD ["postgres"]
