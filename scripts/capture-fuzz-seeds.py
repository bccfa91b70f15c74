#!/usr/bin/env python3
"""Captures what the testbed's real servers send, as seed inputs for the Jazzer fuzz tests.

Each seed is the server's side of one dialogue, as the prober would read it:
  - MailDialogueFuzzTestInputs/<smtp|imap|pop3>/: greeting and replies up to STARTTLS;
  - ServerReplyFuzzTestInputs/serverReply/: the first TLS flight answering a ClientHello
    (ServerHello, certificate chain, ... or an alert) for each version.
Run with the testbed started (testbed/start.sh target/testbed); writes into the test resources.
"""
import os
import socket
import ssl
import sys
import warnings

warnings.simplefilter("ignore", DeprecationWarning)  # TLS 1.0/1.1 are what we probe for

HOST = "127.0.0.1"
RESOURCES = os.path.join(os.path.dirname(__file__), "..", "operator", "src", "test", "resources",
                         "io", "mailtls")


def recv_for(sock, seconds=0.7, limit=300_000):
    sock.settimeout(seconds)
    data = b""
    try:
        while len(data) < limit:
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
    except socket.timeout:
        pass
    return data


def dialogue(port, commands):
    """Server bytes of the greeting and the replies to each command."""
    with socket.create_connection((HOST, port), timeout=5) as s:
        data = recv_for(s)
        for command in commands:
            s.sendall(command + b"\r\n")
            data += recv_for(s)
        return data


def client_hello(version):
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    context.set_ciphers("ALL:@SECLEVEL=0")
    context.minimum_version = version
    context.maximum_version = version
    incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
    tls = context.wrap_bio(incoming, outgoing, server_hostname="mail.test.local")
    try:
        tls.do_handshake()
    except ssl.SSLWantReadError:
        pass
    return outgoing.read()


def tls_flight(port, version, starttls=()):
    with socket.create_connection((HOST, port), timeout=5) as s:
        if starttls:
            recv_for(s)
            for command in starttls:
                s.sendall(command + b"\r\n")
                recv_for(s)
        s.sendall(client_hello(version))
        return recv_for(s)


def write(directory, name, data):
    # The dialogue seeds belong to the prober's fuzz test, the TLS replies to the codec's.
    package = "tls" if directory.startswith("ServerReply") else "probe"
    path = os.path.join(RESOURCES, package, directory, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)
    print(f"{len(data):7d} {path}")


V = ssl.TLSVersion
SMTP = [b"EHLO mailtls.probe", b"STARTTLS"]
write("MailDialogueFuzzTestInputs/smtp", "postfix-starttls", dialogue(24025, SMTP))
write("MailDialogueFuzzTestInputs/smtp", "postfix-no-starttls", dialogue(24027, SMTP[:1]))
write("MailDialogueFuzzTestInputs/imap", "dovecot-starttls", dialogue(24143, [b"a2 STARTTLS"]))
write("MailDialogueFuzzTestInputs/imap", "dovecot-capability",
      dialogue(24143, [b"a1 CAPABILITY", b"a2 STARTTLS"]))
write("MailDialogueFuzzTestInputs/pop3", "dovecot-stls", dialogue(24110, [b"CAPA", b"STLS"]))

REPLY = "ServerReplyFuzzTestInputs/serverReply"
write(REPLY, "s_server-tls10-hello-chain", tls_flight(24466, V.TLSv1))
write(REPLY, "s_server-tls12-offered-tls10-chosen", tls_flight(24466, V.TLSv1_2))
write(REPLY, "s_server-tls12-refused-alert", tls_flight(24467, V.TLSv1_2))
write(REPLY, "s_server-tls13-hello", tls_flight(24467, V.TLSv1_3))
write(REPLY, "postfix-smtps-tls12-hello-chain", tls_flight(24465, V.TLSv1_2))
write(REPLY, "postfix-starttls-tls11-hello-chain", tls_flight(24026, V.TLSv1_1, SMTP))
write(REPLY, "dovecot-pop3s-tls12-hello-chain", tls_flight(24995, V.TLSv1_2))
