#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/types.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <microhttpd.h>

/*
 * Non-variadic entry points for Swift, which cannot call C variadic functions
 * (MHD_start_daemon, MHD_get_daemon_info, MHD_get_connection_info).
 */

/* Leaves the URL and query arguments percent-encoded: Swift splits the path into segments
 * before decoding them (so "%2F" stays inside a path parameter) and decodes "+" in queries. */
static inline size_t motcua_keep_escaped(void *cls, struct MHD_Connection *connection, char *text) {
    (void)cls;
    (void)connection;
    return strlen(text);
}

/* Starts a daemon bound to `address` with the options the Swift server uses: limits on connections
 * (in all and per client address), on each connection's memory (its header fields must fit in it), an
 * idle timeout, and a notice when each connection opens and closes (the server's header and body
 * deadlines are kept from those). */
static inline struct MHD_Daemon *motcua_start_daemon(
    unsigned int flags, const struct sockaddr *address, MHD_AccessHandlerCallback handler, void *handler_context,
    MHD_RequestCompletedCallback completed, MHD_NotifyConnectionCallback connection_notice, MHD_LogCallback log,
    void *context, unsigned int thread_pool_size, unsigned int connection_limit,
    unsigned int per_address_connection_limit, size_t connection_memory_limit,
    unsigned int connection_timeout_seconds) {
    return MHD_start_daemon(
        flags, 0, NULL, NULL, handler, handler_context,
        MHD_OPTION_EXTERNAL_LOGGER, log, context, /* first, so that it receives every message */
        MHD_OPTION_SOCK_ADDR, address,
        MHD_OPTION_NOTIFY_COMPLETED, completed, context,
        MHD_OPTION_NOTIFY_CONNECTION, connection_notice, context,
        MHD_OPTION_UNESCAPE_CALLBACK, motcua_keep_escaped, NULL,
        MHD_OPTION_THREAD_POOL_SIZE, thread_pool_size,
        MHD_OPTION_CONNECTION_LIMIT, connection_limit,
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, per_address_connection_limit,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, connection_memory_limit,
        MHD_OPTION_CONNECTION_TIMEOUT, connection_timeout_seconds,
        MHD_OPTION_END);
}

/* The connection's socket, or -1 if MHD does not say. */
static inline int motcua_connection_socket(struct MHD_Connection *connection) {
    const union MHD_ConnectionInfo *info = MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CONNECTION_FD);
    return info == NULL ? -1 : info->connect_fd;
}

/* The port the daemon is bound to (useful after binding port 0), or 0 if unknown. */
static inline uint16_t motcua_daemon_port(struct MHD_Daemon *daemon) {
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(daemon, MHD_DAEMON_INFO_BIND_PORT);
    return info == NULL ? 0 : info->port;
}

/* The peer's socket address, or NULL if MHD does not know it. */
static inline const struct sockaddr *motcua_client_address(struct MHD_Connection *connection) {
    const union MHD_ConnectionInfo *info = MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    return info == NULL ? NULL : info->client_addr;
}
