/*
 * Client-side helpers over libcoap 4.3.1 for the simulator's engine (CoAPClientEngine): PKI set-up of a
 * DTLS client from DER in memory, PDU set-up, and the few constants that do not import into Swift.
 */
#ifndef BREAKERFLEET_CLIBCOAP_CLIENT_SHIM_H
#define BREAKERFLEET_CLIBCOAP_CLIENT_SHIM_H

#include "shim.h"
#include <sys/epoll.h>
#include <string.h>
#include <time.h>

/* A DTLS client that presents its own certificate and verifies the server's against `ca` (DER). */
static inline void bf_pki_client_asn1(coap_dtls_pki_t *pki,
                                      const uint8_t *cert, size_t cert_len,
                                      const uint8_t *key, size_t key_len,
                                      const uint8_t *ca, size_t ca_len) {
    bf_pki_asn1(pki, cert, cert_len, key, key_len, ca, ca_len);
    /* The trust anchor is given explicitly: a device with a factory certificate from a manufacturer CA still
     * verifies the server against the fleet CA, so "same CA as mine" would be the wrong check. */
    pki->check_common_ca = 0;
}

static inline coap_fixed_point_t bf_fixed_point(unsigned int seconds, unsigned int thousandths) {
    coap_fixed_point_t value = { seconds, thousandths };
    return value;
}

/* A new request PDU: CON or NON, the method as its code number (1 GET … 4 DELETE). */
static inline coap_pdu_t *bf_request_pdu(coap_session_t *session, int confirmable, int method) {
    return coap_new_pdu(confirmable ? COAP_MESSAGE_CON : COAP_MESSAGE_NON, (coap_pdu_code_t)method, session);
}

/* The class*100+detail form (205) of a received PDU's code. */
static inline int bf_pdu_code_number(const coap_pdu_t *pdu) {
    int code = (int)coap_pdu_get_code(pdu);
    return (code >> 5) * 100 + (code & 0x1f);
}

/* Reads an unsigned option value (Content-Format, Observe); returns -1 when the option is absent. */
static inline long long bf_uint_option(const coap_pdu_t *pdu, uint16_t number) {
    coap_opt_iterator_t iterator;
    coap_opt_t *option = coap_check_option(pdu, number, &iterator);
    if (!option) return -1;
    return (long long)coap_decode_var_bytes(coap_opt_value(option), coap_opt_length(option));
}

static inline coap_response_t bf_response_ok(void) { return COAP_RESPONSE_OK; }
static inline coap_response_t bf_response_fail(void) { return COAP_RESPONSE_FAIL; }

static inline uint64_t bf_monotonic_ns(void) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (uint64_t)now.tv_sec * 1000000000ull + (uint64_t)now.tv_nsec;
}

static inline coap_tick_t bf_coap_now(void) {
    coap_tick_t now;
    coap_ticks(&now);
    return now;
}

static inline int bf_epoll_wait_inner(int epfd, struct epoll_event *events, int max) {
    return epoll_wait(epfd, events, max, 0);
}

#endif
