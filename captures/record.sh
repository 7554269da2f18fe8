#!/usr/bin/env bash
# Re-record the mailscope capture corpus from real mail servers on loopback.
#
#   sudo bash captures/record.sh              # everything (~90 s): rewrites every capture
#   sudo bash captures/record.sh relay        # only some scenarios: relay, guessing, slow, policy
#   sudo bash captures/record.sh findings     # (= relay guessing slow policy), leaving every other file alone
#
# Installs Postfix, Dovecot, swaks, tcpdump, tshark (apt-get), writes the server
# configuration from captures/servers/, generates a self-signed certificate,
# starts Postfix and Dovecot on 127.0.0.1/::1 only, runs every scenario while
# tcpdump records it into its own file, checks each file with tshark, stops the
# servers and finally runs damage.py for the damaged/ and variants/ files.
#
# Safe to re-run: configuration is rewritten, mailboxes and queue are emptied,
# and the servers are always stopped on exit (also on failure).
# No traffic leaves loopback.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OUT="$HERE"
SERVERS="$HERE/servers"
CLIENTS="$HERE/clients"
ETC=/etc/mailscope
MAILROOT=/var/mail/mailscope
DOVECOT_CONF="$ETC/dovecot.conf"
PY=/usr/bin/python3
export PYTHONDONTWRITEBYTECODE=1
WORK="$(mktemp -d /tmp/mailscope-record.XXXXXX)"
FAILED=()
START_TIME=$(date +%s)

log() { printf '\n== %s\n' "$*"; }
die() { echo "record.sh: $*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "must run as root (sudo bash captures/record.sh)"

# ---------------------------------------------------------------- packages --
install_packages() {
    local pkgs=(postfix dovecot-imapd dovecot-pop3d dovecot-lmtpd swaks tcpdump tshark
                openssl python3 curl libnet-ssleay-perl iproute2)
    local missing=()
    for p in "${pkgs[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    log "installing: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    debconf-set-selections <<'EOF'
postfix postfix/main_mailer_type select Local only
postfix postfix/mailname string mail.example.test
wireshark-common wireshark-common/install-setuid boolean false
EOF
    apt-get update
    apt-get install -y --no-install-recommends "${missing[@]}"
}

# ------------------------------------------------------------------ servers --
stop_servers() {
    postfix status >/dev/null 2>&1 && postfix stop >/dev/null 2>&1 || true
    if [ -f "$DOVECOT_CONF" ] && [ -f /run/dovecot-mailscope/master.pid ]; then
        dovecot -c "$DOVECOT_CONF" stop >/dev/null 2>&1 || true
    fi
    # wait for the listeners to go away
    for _ in $(seq 1 50); do
        ss -ltn | grep -Eq ':(25|465|587|2526|2527|110|143|993|995)\s' || break
        sleep 0.2
    done
}

TCPDUMP_PID=""
cleanup() {
    local rc=$?
    if [ -n "$TCPDUMP_PID" ]; then kill -INT "$TCPDUMP_PID" 2>/dev/null || true; wait "$TCPDUMP_PID" 2>/dev/null || true; fi
    stop_servers
    rm -rf "$WORK"
    exit $rc
}

configure() {
    log "writing server configuration"
    getent group vmail >/dev/null || groupadd --system vmail
    getent passwd vmail >/dev/null || useradd --system --gid vmail --home-dir "$MAILROOT" \
        --no-create-home --shell /usr/sbin/nologin vmail
    install -d -m 0755 "$ETC" "$ETC/tls"

    # self-signed certificate (kept across runs; delete /etc/mailscope/tls to regenerate)
    if [ ! -s "$ETC/tls/cert.pem" ] || [ ! -s "$ETC/tls/key.pem" ]; then
        openssl req -x509 -newkey rsa:2048 -nodes -days 3650 \
            -subj "/CN=mail.example.test" \
            -addext "subjectAltName=DNS:mail.example.test,IP:127.0.0.1,IP:::1" \
            -keyout "$ETC/tls/key.pem" -out "$ETC/tls/cert.pem" 2>/dev/null
    fi
    chmod 0644 "$ETC/tls/cert.pem"; chmod 0600 "$ETC/tls/key.pem"

    # Postfix
    install -m 0644 "$SERVERS/main.cf" /etc/postfix/main.cf
    install -m 0644 "$SERVERS/master.cf" /etc/postfix/master.cf
    install -m 0644 "$SERVERS/vmailbox" /etc/postfix/mailscope-vmailbox
    install -m 0644 "$SERVERS/sender-access" /etc/postfix/mailscope-sender-access
    install -m 0644 "$SERVERS/virtual-alias" /etc/postfix/mailscope-virtual-alias
    postmap /etc/postfix/mailscope-vmailbox /etc/postfix/mailscope-sender-access \
            /etc/postfix/mailscope-virtual-alias
    touch /var/log/postfix-mailscope.log
    postfix check

    # Dovecot
    install -m 0644 "$SERVERS/dovecot.conf" "$DOVECOT_CONF"
    install -m 0640 -g dovecot "$SERVERS/users" "$ETC/users"
    doveconf -c "$DOVECOT_CONF" -n >/dev/null

    # fresh, empty mailboxes and mail queue
    rm -rf "$MAILROOT"
    install -d -m 0750 -o vmail -g vmail "$MAILROOT"
}

wait_ports() {
    local p
    for p in "$@"; do
        for _ in $(seq 1 100); do
            ss -ltn | grep -Eq "127\.0\.0\.1:$p\s" && break
            sleep 0.1
        done
        ss -ltn | grep -Eq "127\.0\.0\.1:$p\s" || die "nothing listening on 127.0.0.1:$p"
    done
}

start_servers() {
    log "starting Dovecot and Postfix on loopback"
    dovecot -c "$DOVECOT_CONF"
    postsuper -d ALL >/dev/null 2>&1 || true
    postfix start >/dev/null 2>&1
    wait_ports 25 465 587 2526 2527 110 143 993 995
    ss -ltn | grep -E ':(25|465|587|2526|2527|110|143|993|995)\s' | awk '{print "   listening", $4}'
}

# count messages in a Maildir (new + cur)
mailbox_count() {
    local d="$MAILROOT/$1/Maildir"
    { ls "$d/new" "$d/cur" 2>/dev/null || true; } | grep -c '^[0-9]' || true
}

wait_mail() {  # user count
    for _ in $(seq 1 100); do
        [ "$(mailbox_count "$1")" -ge "$2" ] && return 0
        sleep 0.1
    done
    die "mailbox $1 has $(mailbox_count "$1") messages, expected $2"
}

# --------------------------------------------------------------- recording --
# capture NAME "FILTER" [tcpdump options...] -- client command...
# Records one scenario into NAME.pcap; re-records (up to 3 times) if the kernel dropped packets.
capture() {
    local name="$1" filter="$2"; shift 2
    local topts=()
    while [ "$1" != "--" ]; do topts+=("$1"); shift; done
    shift
    local file="$OUT/$name.pcap" attempt dropped
    for attempt in 1 2 3; do
        rm -f "$file"
        log "recording $name.pcap  ($filter${topts[*]:+; ${topts[*]}})"
        tcpdump -i lo -s 0 -U -B 65536 "${topts[@]}" -w "$file" "$filter" 2>"$WORK/$name.tcpdump" &
        TCPDUMP_PID=$!
        for _ in $(seq 1 50); do grep -q 'listening on' "$WORK/$name.tcpdump" && break; sleep 0.1; done
        sleep 1
        ( cd "$CLIENTS" && "$@" ) >"$WORK/$name.client" 2>&1 || echo "   (client exit status $? - expected for failure scenarios)"
        sleep 1
        kill -INT "$TCPDUMP_PID"; wait "$TCPDUMP_PID" || true; TCPDUMP_PID=""
        grep -E 'packets (captured|dropped by kernel)' "$WORK/$name.tcpdump" | sed 's/^/   /'
        dropped=$(sed -n 's/^\([0-9]*\) packets dropped by kernel.*/\1/p' "$WORK/$name.tcpdump")
        [ "${dropped:-0}" = 0 ] && break
        echo "   kernel dropped $dropped packets, recording again"
    done
    # nothing may be missing from any capture
    check_none "$name" 'tcp.analysis.lost_segment || tcp.analysis.ack_lost_segment'
}

# check NAME "DISPLAY FILTER" MIN_COUNT [tshark options...]: at least MIN_COUNT frames match
check() {
    local name="$1" filter="$2" min="$3"; shift 3
    local n
    n=$(tshark -n -r "$OUT/$name.pcap" "$@" -Y "$filter" 2>/dev/null | wc -l)
    report "$name" "$n" "$min" "$filter"
}

# check_none NAME "DISPLAY FILTER": no frame matches
check_none() {
    local name="$1" filter="$2" n
    n=$(tshark -n -r "$OUT/$name.pcap" -Y "$filter" 2>/dev/null | wc -l)
    if [ "$n" -eq 0 ]; then
        printf '   ok   %-28s   0 x  %s\n' "$name" "$filter"
    else
        printf '   FAIL %-28s %3d x  %s (wanted none)\n' "$name" "$n" "$filter"
        FAILED+=("$name: $filter")
    fi
}

# check_field NAME FIELD VALUE MIN_COUNT [tshark options...]: FIELD == VALUE occurs at least MIN_COUNT times
# (counts occurrences, so several pipelined commands in one segment count separately)
check_field() {
    local name="$1" field="$2" value="$3" min="$4" n
    shift 4
    n=$(tshark -n -r "$OUT/$name.pcap" "$@" -T fields -E occurrence=a -e "$field" 2>/dev/null | tr , "\n" \
        | grep -cx -- "$value" || true)
    report "$name" "$n" "$min" "$field == $value (occurrences)"
}

report() {
    local name="$1" n="$2" min="$3" what="$4"
    if [ "$n" -ge "$min" ]; then
        printf '   ok   %-28s %3d x  %s\n' "$name" "$n" "$what"
    else
        printf '   FAIL %-28s %3d x  %s (wanted >= %d)\n' "$name" "$n" "$what" "$min"
        FAILED+=("$name: $what")
    fi
}

SWAKS=(swaks --server 127.0.0.1 --helo client.example.test --suppress-data --hide-informational)

record_all() {
    rm -f "$OUT"/*.pcap "$OUT"/*.keys

    # --- SMTP (port 25, 587, 465) -----------------------------------------
    # seed: plain deliveries to alice on port 25 (also gives IMAP/POP3 something to fetch)
    capture smtp-delivery "tcp port 25" -- bash -c '
        for i in 1 2 3; do
            swaks --server 127.0.0.1 --helo client.example.test --suppress-data --hide-informational \
                  --from "sender$i@outside.test" --to alice@example.test \
                  --header "Subject: Test message $i for alice" \
                  --body "Hello Alice, this is test message number $i." || exit 1
        done'
    wait_mail alice 3
    check smtp-delivery 'smtp.response.code == 250' 12
    check smtp-delivery 'smtp.req.command == "DATA"' 3

    capture smtp-auth-success "tcp port 587" -- \
        "${SWAKS[@]}" --port 587 --auth PLAIN --auth-user alice --auth-password wonderland \
        --from alice@example.test --to bob@example.test \
        --header "Subject: Authenticated submission" --body "Sent with AUTH PLAIN on port 587."
    wait_mail bob 1
    check smtp-auth-success 'smtp.response.code == 235' 1
    check smtp-auth-success 'smtp.req.command == "AUTH"' 1
    check smtp-auth-success 'smtp.response.code == 250' 4

    capture smtp-auth-failure "tcp port 587" -- \
        "${SWAKS[@]}" --port 587 --auth LOGIN --auth-user alice --auth-password not-the-password \
        --from alice@example.test --to bob@example.test
    check smtp-auth-failure 'smtp.response.code == 535' 1
    check smtp-auth-failure 'smtp.rsp.parameter contains "5.7.8"' 1

    capture smtp-relay-denied "tcp port 25" -- \
        "${SWAKS[@]}" --from alice@example.test --to victim@elsewhere.example
    check smtp-relay-denied 'smtp.response.code == 554' 1
    check smtp-relay-denied 'smtp.rsp.parameter contains "Relay access denied"' 1

    capture smtp-unknown-user "tcp port 25" -- \
        "${SWAKS[@]}" --from someone@outside.test --to nobody@example.test
    check smtp-unknown-user 'smtp.response.code == 550' 1
    check smtp-unknown-user 'smtp.rsp.parameter contains "5.1.1"' 1

    capture smtp-greylisted "tcp port 25" -- \
        "${SWAKS[@]}" --from newcomer@greylist.test --to alice@example.test
    check smtp-greylisted 'smtp.response.code == 450' 1
    check smtp-greylisted 'smtp.rsp.parameter contains "Greylisted"' 1

    capture smtp-too-big "tcp port 25" -- $PY smtp_client.py too-big --user carol
    check smtp-too-big 'smtp.response.code == 552' 1
    check smtp-too-big 'smtp.rsp.parameter contains "5.3.4"' 1

    capture smtp-pipelining "tcp port 25" -- \
        "${SWAKS[@]}" --pipeline --from dave@outside.test \
        --to alice@example.test,bob@example.test,nobody@example.test,postmaster@example.test \
        --header "Subject: Pipelined" --body "Four RCPT TO in one pipelined batch, one of them unknown."
    check_field smtp-pipelining smtp.response.code 250 6
    check_field smtp-pipelining smtp.response.code 550 1
    check_field smtp-pipelining smtp.req.command RCPT 4
    check smtp-pipelining 'smtp.req.command == "RCPT" && smtp.req.command == "DATA"' 1

    # ~3 MB message (below message_size_limit = 4 MiB) to bob
    $PY - "$WORK/large-body.txt" <<'EOF'
import sys, hashlib
with open(sys.argv[1], "w") as f:
    h = b"mailscope"
    n = 0
    while n < 3 * 1000 * 1000:
        h = hashlib.sha256(h).digest()
        line = "%08d %s\n" % (n // 74, (h.hex() * 2)[:64])
        f.write(line)
        n += len(line)
EOF
    capture smtp-large-message "tcp port 25" -- \
        "${SWAKS[@]}" --from eve@outside.test --to bob@example.test \
        --header "Subject: Large message (3 MB)" --body "@$WORK/large-body.txt"
    wait_mail bob 3
    check smtp-large-message 'smtp.response.code == 250' 4
    check smtp-large-message 'smtp.req.command == "DATA"' 1

    # ~130 KB MIME attachment: the DATA phase spans several consecutive client segments
    # (damage.py uses this for reordered.pcap)
    $PY -c 'import random, sys; r = random.Random(1); open(sys.argv[1], "wb").write(bytes(r.getrandbits(8) for _ in range(100000)))' \
        "$WORK/attachment.bin"
    capture smtp-medium-message "tcp port 25" -- \
        "${SWAKS[@]}" --from ivan@outside.test --to bob@example.test \
        --header "Subject: Medium message with attachment" --body "See the attached file." \
        --attach-type application/octet-stream --attach-name data.bin --attach "@$WORK/attachment.bin"
    wait_mail bob 4
    check smtp-medium-message 'smtp.response.code == 250' 4
    check smtp-medium-message 'imf' 1

    capture smtp-starttls "tcp port 587" -- \
        $PY smtp_client.py starttls --keylog "$OUT/smtp-starttls.keys"
    check smtp-starttls 'smtp.response.code == 220' 2
    check smtp-starttls 'smtp.command_line contains "STARTTLS"' 1
    check smtp-starttls 'tls.handshake.type == 1' 1
    check smtp-starttls 'smtp.response.code == 235' 1 -o "tls.keylog_file:$OUT/smtp-starttls.keys"

    capture smtps-465 "tcp port 465" -- \
        $PY smtp_client.py smtps --keylog "$OUT/smtps-465.keys"
    check smtps-465 'tls.handshake.type == 1' 1
    check smtps-465 'smtp.response.code == 235' 1 -o "tls.keylog_file:$OUT/smtps-465.keys"
    check smtps-465 'smtp.response.code == 221' 1 -o "tls.keylog_file:$OUT/smtps-465.keys"

    capture smtp-ipv6 "tcp port 25 and ip6" -- \
        swaks --server ::1 --helo client.example.test --suppress-data --hide-informational \
        --from frank@outside.test --to alice@example.test \
        --header "Subject: Over IPv6" --body "Delivered over ::1."
    wait_mail alice 5
    check smtp-ipv6 'ipv6 && smtp.response.code == 250' 4

    capture smtp-any-sll2 "tcp port 25" -i any -- \
        "${SWAKS[@]}" --from grace@outside.test --to bob@example.test --header "Subject: Captured on any (SLL2)"
    check smtp-any-sll2 'sll && smtp.response.code == 250' 4
    capture smtp-any-sll "tcp port 25" -i any -y LINUX_SLL -- \
        "${SWAKS[@]}" --from heidi@outside.test --to bob@example.test --header "Subject: Captured on any (SLL)"
    check smtp-any-sll 'sll && smtp.response.code == 250' 4

    # --- IMAP (143, 993) ---------------------------------------------------
    capture imap-login-success "tcp port 143" -- $PY imap_client.py login
    check imap-login-success 'imap.request.command == "LOGIN"' 1
    check imap-login-success 'imap.request.command == "FETCH"' 2
    check imap-login-success 'imap.response.status == "OK"' 5

    capture imap-login-failure "tcp port 143" -- $PY imap_client.py failure
    check imap-login-failure 'imap.response contains "AUTHENTICATIONFAILED"' 1

    capture imap-starttls "tcp port 143" -- $PY imap_client.py starttls --keylog "$OUT/imap-starttls.keys"
    check imap-starttls 'imap.request.command == "STARTTLS"' 1
    check imap-starttls 'tls.handshake.type == 1' 1
    check imap-starttls 'imap.request.command == "LOGIN"' 1 -o "tls.keylog_file:$OUT/imap-starttls.keys"

    capture imaps-993 "tcp port 993" -- $PY imap_client.py imaps --keylog "$OUT/imaps-993.keys"
    check imaps-993 'tls.handshake.type == 1' 1
    check imaps-993 'tls.handshake.type == 2 && tls.handshake.extensions.supported_version == 0x0304' 1
    check imaps-993 'imap.request.command == "FETCH"' 2 -o "tls.keylog_file:$OUT/imaps-993.keys"

    capture imaps-993-tls12 "tcp port 993" -- \
        $PY imap_client.py imaps --tls12 --keylog "$OUT/imaps-993-tls12.keys"
    check imaps-993-tls12 'tls.handshake.type == 2 && tls.handshake.version == 0x0303 && !tls.handshake.extensions.supported_version' 1
    check imaps-993-tls12 'imap.request.command == "FETCH"' 2 -o "tls.keylog_file:$OUT/imaps-993-tls12.keys"

    # --- POP3 (110, 995) ---------------------------------------------------
    capture pop3-success "tcp port 110" -- $PY pop3_client.py login
    check pop3-success 'pop.request.command == "RETR"' 1
    check pop3-success 'pop.request.command == "PASS"' 1
    check pop3-success 'pop.response.indicator == "+OK"' 7

    capture pop3-failure "tcp port 110" -- $PY pop3_client.py failure
    check pop3-failure 'pop.response.indicator == "-ERR"' 1
    check pop3-failure 'pop.response.description contains "[AUTH]"' 1

    capture pop3-stls "tcp port 110" -- $PY pop3_client.py stls --user bob --password builder \
        --keylog "$OUT/pop3-stls.keys"
    check pop3-stls 'pop.request.command == "STLS"' 1
    check pop3-stls 'tls.handshake.type == 1' 1
    check pop3-stls 'pop.request.command == "RETR"' 1 -o "tls.keylog_file:$OUT/pop3-stls.keys"

    capture pop3s-995 "tcp port 995" -- $PY pop3_client.py pop3s --keylog "$OUT/pop3s-995.keys"
    check pop3s-995 'tls.handshake.type == 1' 1
    check pop3s-995 'pop.request.command == "RETR"' 1 -o "tls.keylog_file:$OUT/pop3s-995.keys"

    # --- demo: every session except the 3 MB one and the cooked-link captures
    log "merging demo.pcap"
    mergecap -F pcap -w "$OUT/demo.pcap" \
        "$OUT"/smtp-delivery.pcap "$OUT"/smtp-auth-success.pcap "$OUT"/smtp-auth-failure.pcap \
        "$OUT"/smtp-relay-denied.pcap "$OUT"/smtp-unknown-user.pcap "$OUT"/smtp-greylisted.pcap \
        "$OUT"/smtp-too-big.pcap "$OUT"/smtp-pipelining.pcap "$OUT"/smtp-starttls.pcap \
        "$OUT"/smtps-465.pcap "$OUT"/smtp-ipv6.pcap \
        "$OUT"/imap-login-success.pcap "$OUT"/imap-login-failure.pcap "$OUT"/imap-starttls.pcap \
        "$OUT"/imaps-993.pcap \
        "$OUT"/pop3-success.pcap "$OUT"/pop3-failure.pcap "$OUT"/pop3-stls.pcap "$OUT"/pop3s-995.pcap
    cat "$OUT"/smtp-starttls.keys "$OUT"/smtps-465.keys "$OUT"/imap-starttls.keys \
        "$OUT"/imaps-993.keys "$OUT"/pop3-stls.keys "$OUT"/pop3s-995.keys > "$OUT/demo.keys"
    check demo 'tcp.flags.syn == 1 && tcp.flags.ack == 0' 15
    check demo 'smtp.response.code >= 400' 6

    # --- scenarios for the findings (not part of demo.pcap)
    record_findings
}

# --- scenarios for the findings (src/findings/); also run alone: record.sh relay|guessing|slow|policy|findings

# The classic relay tests against Postfix as a closed relay (port 25) and as an
# OPEN one (port 2526, smtpd_relay_restrictions=permit): outside domain,
# user%remote@local, "user@remote"@local, @local:user@remote, user@[192.0.2.1],
# and the null sender to an outside domain. Outside addresses are reserved
# names; nothing is sent anywhere (default_transport = error:, no DNS).
record_relay() {
    capture smtp-relay-closed "tcp port 25" -- $PY relay_client.py relay --port 25
    check smtp-relay-closed 'smtp.response.code == 554' 4
    check smtp-relay-closed 'smtp.req.command == "RSET"' 6

    capture smtp-relay-open "tcp port 2526" -- $PY relay_client.py relay --port 2526
    # tshark knows SMTP on 25 / 587 only: -d decodes the other ports as SMTP
    check smtp-relay-open 'smtp.req.command == "RCPT"' 6 -d tcp.port==2526,smtp
    check_field smtp-relay-open smtp.response.code 250 7 -d tcp.port==2526,smtp
    postsuper -d ALL >/dev/null 2>&1 || true
}

# Password guessing: 12 sessions on port 587, each one AUTH LOGIN with a wrong password.
record_guessing() {
    capture smtp-password-guessing "tcp port 587" -- bash -c '
        for i in $(seq 1 12); do
            swaks --server 127.0.0.1 --port 587 --helo client.example.test --hide-informational --quit-after AUTH \
                  --auth LOGIN --auth-user alice --auth-password "guess-$i" >/dev/null 2>&1
        done; true'
    # Dovecot's growing penalty for the address turns some failures into 454 4.7.0 (temporary)
    check_field smtp-password-guessing smtp.req.command AUTH 12
    check_field smtp-password-guessing smtp.response.code 535 6
}

# A slow server: port 2527 pauses 3 s before it answers RCPT (Postfix "sleep 3").
record_slow() {
    capture smtp-slow-reply "tcp port 2527" -- \
        "${SWAKS[@]}" --port 2527 --from slow@outside.test --to alice@example.test \
        --header "Subject: Slow server" --body "The RCPT reply took 3 seconds."
    check smtp-slow-reply 'smtp.response.code == 250' 4 -d tcp.port==2527,smtp
}

# Policy rejections (captures/servers/sender-access): a client on a DNSBL, an SPF fail and a DMARC
# reject, one session each on port 25, as the sender-reputation findings see them.
record_policy() {
    capture smtp-policy-rejections "tcp port 25" -- bash -c '
        for from in mallory@blocklisted.test bob@spf-fail.test carol@dmarc-fail.test; do
            swaks --server 127.0.0.1 --helo client.example.test --suppress-data --hide-informational \
                  --from "$from" --to alice@example.test >/dev/null 2>&1
        done; true'
    check smtp-policy-rejections 'smtp.response.code == 554' 1
    check smtp-policy-rejections 'smtp.response.code == 550' 2
    check smtp-policy-rejections 'smtp.rsp.parameter contains "spamhaus"' 1
}

record_findings() {
    record_relay
    record_guessing
    record_slow
    record_policy
}

# --------------------------------------------------------------------- main --
install_packages
trap cleanup EXIT
stop_servers
configure
start_servers
if [ $# -gt 0 ]; then
    # Only the named scenarios (record_<name>): every other capture is left as it is.
    for scenario in "$@"; do
        declare -F "record_$scenario" >/dev/null || die "no scenario '$scenario' (relay, guessing, slow, policy, findings)"
        "record_$scenario"
    done
    log "stopping servers"
    stop_servers
    chmod 0644 "$OUT"/*.pcap
    chown --reference="$HERE" "$OUT"/*.pcap
else
record_all
log "stopping servers"
stop_servers

log "damaged and variant files"
$PY "$HERE/damage.py" "$OUT"

chmod 0644 "$OUT"/*.pcap "$OUT"/*.keys
# tcpdump drops privileges to its own user: give the files to the owner of the checkout
chown -R --reference="$HERE" "$OUT"/*.pcap "$OUT"/*.keys "$OUT"/damaged "$OUT"/variants
fi
log "done in $(( $(date +%s) - START_TIME )) s"
if [ ${#FAILED[@]} -gt 0 ]; then
    printf 'FAILED CHECK: %s\n' "${FAILED[@]}" >&2
    exit 1
fi
echo "all checks passed"
