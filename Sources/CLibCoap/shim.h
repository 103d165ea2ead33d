/*
 * The one header Swift sees of libcoap 4.3.1 and the few OpenSSL calls the transport needs.
 * Macros, variadic functions and struct set-up that do not import cleanly are wrapped here as
 * static inline helpers, so Swift code never re-derives a bit layout.
 */
#ifndef BREAKERFLEET_CLIBCOAP_SHIM_H
#define BREAKERFLEET_CLIBCOAP_SHIM_H

#include <coap3/coap.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <string.h>
#include <errno.h>
#include <time.h>

static inline uint32_t bf_io_no_wait(void) { return COAP_IO_NO_WAIT; }

static inline coap_pdu_code_t bf_response_code(int code) {
    return (coap_pdu_code_t)COAP_RESPONSE_CODE(code);
}

/* The dotted form a person reads (205 for 2.05) of a PDU code. */
static inline int bf_code_number(coap_pdu_code_t code) {
    return ((int)code >> 5) * 100 + ((int)code & 0x1f);
}

/* The PKI set-up both ends share: verify the peer's chain (depth 3, no self-signed, no expired) and present
 * our own certificate and EC key, all DER in memory (parsed by OpenSSL, never read from disk). */
static inline void bf_pki_asn1(coap_dtls_pki_t *pki,
                               const uint8_t *cert, size_t cert_len,
                               const uint8_t *key, size_t key_len,
                               const uint8_t *ca, size_t ca_len) {
    memset(pki, 0, sizeof(*pki));
    pki->version = COAP_DTLS_PKI_SETUP_VERSION;
    pki->verify_peer_cert = 1;
    pki->allow_self_signed = 0;
    pki->allow_expired_certs = 0;
    pki->cert_chain_validation = 1;
    pki->cert_chain_verify_depth = 3;
    pki->check_cert_revocation = 0;
    pki->pki_key.key_type = COAP_PKI_KEY_ASN1;
    pki->pki_key.key.asn1.public_cert = cert;
    pki->pki_key.key.asn1.public_cert_len = cert_len;
    pki->pki_key.key.asn1.private_key = key;
    pki->pki_key.key.asn1.private_key_len = key_len;
    pki->pki_key.key.asn1.private_key_type = COAP_ASN1_PKEY_EC;
    pki->pki_key.key.asn1.ca_cert = ca;
    pki->pki_key.key.asn1.ca_cert_len = ca_len;
}

/* A server that requires and verifies client certificates, with callbacks for identity and extra anchors. */
static inline void bf_pki_server_asn1(coap_dtls_pki_t *pki,
                                      const uint8_t *cert, size_t cert_len,
                                      const uint8_t *key, size_t key_len,
                                      const uint8_t *ca, size_t ca_len,
                                      coap_dtls_cn_callback_t cn_callback,
                                      coap_dtls_security_setup_t tls_setup,
                                      void *arg) {
    bf_pki_asn1(pki, cert, cert_len, key, key_len, ca, ca_len);
    pki->check_common_ca = 1;
    pki->validate_cn_call_back = cn_callback;
    pki->cn_call_back_arg = arg;
    pki->additional_tls_setup_call_back = tls_setup;
}

/* Fills a server PSK set-up whose keys come from an identity callback (one key per device, identity = serial). */
static inline void bf_spsk_server(coap_dtls_spsk_t *spsk, coap_dtls_id_callback_t id_callback, void *arg) {
    memset(spsk, 0, sizeof(*spsk));
    spsk->version = COAP_DTLS_SPSK_SETUP_VERSION;
    spsk->validate_id_call_back = id_callback;
    spsk->id_call_back_arg = arg;
}

/* Session tickets and the stateful session cache make resuming clients fail without a session id
 * context (design.md); until resumption is done properly, every connection is a full handshake. */
static inline void bf_ssl_disable_resumption(SSL *ssl) {
    SSL_set_options(ssl, SSL_OP_NO_TICKET);
    SSL_CTX_set_session_cache_mode(SSL_get_SSL_CTX(ssl), SSL_SESS_CACHE_OFF);
}

/* Adds a DER certificate to the SSL_CTX's trust store; returns 1 on success (or already present). */
static inline int bf_ssl_ctx_trust_der(SSL *ssl, const uint8_t *der, size_t len) {
    const uint8_t *p = der;
    X509 *x509 = d2i_X509(NULL, &p, (long)len);
    if (!x509) return 0;
    X509_STORE *store = SSL_CTX_get_cert_store(SSL_get_SSL_CTX(ssl));
    int ok = X509_STORE_add_cert(store, x509);
    if (!ok) {
        unsigned long err = ERR_peek_last_error();
        if (ERR_GET_REASON(err) == X509_R_CERT_ALREADY_IN_HASH_TABLE) { ERR_clear_error(); ok = 1; }
    }
    SSL_add_client_CA(ssl, x509);
    X509_free(x509);
    return ok;
}

static inline void *bf_ssl_ctx_of(SSL *ssl) { return SSL_get_SSL_CTX(ssl); }

/* Why a certificate's subject CN cannot name a peer (bf_subject_cn's negative results). */
enum {
    BF_CN_UNPARSABLE = -1,   /* the DER is not a certificate */
    BF_CN_MISSING = -2,      /* the subject has no CN */
    BF_CN_SEVERAL = -3,      /* the subject has more than one CN: which one names the peer is ambiguous */
    BF_CN_NOT_TEXT = -4,     /* the CN does not convert to UTF-8, or contains a NUL */
    BF_CN_TOO_LONG = -5      /* the CN does not fit out_len bytes (RFC 5280 allows 64 characters) */
};

/* What the device plane reads of a peer's certificate, in one parse: its validity (Unix seconds) and the
 * SHA-256 of its SubjectPublicKeyInfo (the key's fingerprint, as i2d_X509_PUBKEY writes it). */
typedef struct {
    int64_t not_before;
    int64_t not_after;
    uint8_t public_key_sha256[32];
} bf_certificate_facts;

static inline int bf_asn1_time_unix(const ASN1_TIME *time, int64_t *out) {
    struct tm parsed;
    if (!time || ASN1_TIME_to_tm(time, &parsed) != 1) return 0;
    *out = (int64_t)timegm(&parsed);
    return 1;
}

/* Copies a certificate's one subject CN (not a SAN) as UTF-8 into out, whatever ASN.1 string type it was
 * written in, and fills facts; returns the CN's length in bytes, or one of the BF_CN_ reasons. Never
 * truncates. */
static inline int bf_subject_cn(const uint8_t *der, size_t len, char *out, size_t out_len, bf_certificate_facts *facts) {
    const uint8_t *p = der;
    X509 *x509 = d2i_X509(NULL, &p, (long)len);
    if (!x509) return BF_CN_UNPARSABLE;
    X509_NAME *subject = X509_get_subject_name(x509);
    int index = X509_NAME_get_index_by_NID(subject, NID_commonName, -1);
    int result;
    if (index < 0) {
        result = BF_CN_MISSING;
    } else if (X509_NAME_get_index_by_NID(subject, NID_commonName, index) >= 0) {
        result = BF_CN_SEVERAL;
    } else {
        ASN1_STRING *value = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, index));
        unsigned char *utf8 = NULL;
        int length = ASN1_STRING_to_UTF8(&utf8, value);
        if (length < 0 || utf8 == NULL) {
            result = BF_CN_NOT_TEXT;
            ERR_clear_error();
        } else if (memchr(utf8, 0, (size_t)length) != NULL) {
            result = BF_CN_NOT_TEXT;
        } else if ((size_t)length > out_len) {
            result = BF_CN_TOO_LONG;
        } else {
            memcpy(out, utf8, (size_t)length);
            result = length;
        }
        OPENSSL_free(utf8);
    }
    if (result > 0 && facts) {
        unsigned char *spki = NULL;
        int spki_length = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(x509), &spki);
        unsigned int written = 0;
        if (spki_length <= 0 || EVP_Digest(spki, (size_t)spki_length, facts->public_key_sha256, &written, EVP_sha256(), NULL) != 1
            || !bf_asn1_time_unix(X509_get0_notBefore(x509), &facts->not_before)
            || !bf_asn1_time_unix(X509_get0_notAfter(x509), &facts->not_after)) {
            result = BF_CN_UNPARSABLE;
        }
        OPENSSL_free(spki);
    }
    X509_free(x509);
    return result;
}

/* SHA-256 of bytes (a certificate's DER: its fingerprint) into out[32]; returns 1 on success. */
static inline int bf_sha256(const uint8_t *bytes, size_t length, uint8_t *out) {
    unsigned int written = 0;
    return EVP_Digest(bytes, length, out, &written, EVP_sha256(), NULL) == 1 && written == 32;
}

/* Parses an IPv4 or IPv6 literal and port into a coap_address_t; returns 1 on success. */
static inline int bf_address(coap_address_t *addr, const char *host, uint16_t port) {
    coap_address_init(addr);
    struct sockaddr_in6 *sin6 = &addr->addr.sin6;
    struct sockaddr_in *sin = &addr->addr.sin;
    if (inet_pton(AF_INET, host, &sin->sin_addr) == 1) {
        sin->sin_family = AF_INET;
        sin->sin_port = htons(port);
        addr->size = sizeof(struct sockaddr_in);
        return 1;
    }
    if (inet_pton(AF_INET6, host, &sin6->sin6_addr) == 1) {
        sin6->sin6_family = AF_INET6;
        sin6->sin6_port = htons(port);
        addr->size = sizeof(struct sockaddr_in6);
        return 1;
    }
    return 0;
}

static inline uint32_t bf_epollin(void) { return EPOLLIN; }

/* The port a UDP socket is bound to, or -1 if fd is not a bound UDP socket. */
static inline int bf_udp_socket_port(int fd) {
    int type = 0;
    socklen_t length = sizeof(type);
    if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &length) != 0 || type != SOCK_DGRAM) return -1;
    struct sockaddr_storage address;
    socklen_t address_length = sizeof(address);
    if (getsockname(fd, (struct sockaddr *)&address, &address_length) != 0) return -1;
    if (address.ss_family == AF_INET) return ntohs(((struct sockaddr_in *)&address)->sin_port);
    if (address.ss_family == AF_INET6) return ntohs(((struct sockaddr_in6 *)&address)->sin6_port);
    return -1;
}

/* Raises a socket's SO_RCVBUF (the kernel caps it at net.core.rmem_max). Returns 0 and the size granted,
 * or the errno of the call that failed. */
static inline int bf_set_receive_buffer(int fd, int bytes, int *granted) {
    if (setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &bytes, sizeof(bytes)) != 0) return errno;
    socklen_t length = sizeof(*granted);
    if (getsockopt(fd, SOL_SOCKET, SO_RCVBUF, granted, &length) != 0) return errno;
    return 0;
}

static inline int bf_eventfd(void) { return eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC); }

#endif
