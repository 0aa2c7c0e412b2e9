# PostgreSQL 15 from Debian bookworm's packages (docker/build-base-images.sh), taking the official image's
# variables: POSTGRES_USER, POSTGRES_PASSWORD, POSTGRES_DB, PGDATA (default /var/lib/postgresql/data).
ARG ROOTFS
FROM ${ROOTFS}
ENV LANG=C.UTF-8 \
    PGDATA=/var/lib/postgresql/data \
    PATH=/usr/lib/postgresql/15/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
COPY postgres-entrypoint.sh /usr/local/bin/postgres-entrypoint.sh
RUN set -eux; chmod 0755 /usr/local/bin/postgres-entrypoint.sh; \
    mkdir -p "$PGDATA" /var/run/postgresql; chown -R postgres:postgres /var/lib/postgresql /var/run/postgresql; \
    chmod 0700 "$PGDATA"
VOLUME /var/lib/postgresql/data
EXPOSE 5432
STOPSIGNAL SIGINT
ENTRYPOINT ["/usr/local/bin/postgres-entrypoint.sh"]
CMD ["postgres"]
