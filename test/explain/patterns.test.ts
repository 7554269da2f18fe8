/**
 * One case per real reply text: each line below is a reply as a real server
 * sends it (Postfix, Exim, Sendmail, qmail, Dovecot, Cyrus, qpopper, Gmail,
 * Microsoft 365 / Outlook.com, Yahoo, Mimecast, amavisd-new, policyd-spf,
 * OpenDMARC), addresses and IPs replaced by documentation ones. The pattern
 * named beside it must be the one that explains it.
 */
import { describe, expect, it } from 'vitest';
import { PATTERNS } from '../../src/explain/catalog.js';
import { explainText } from '../../src/explain/index.js';

const CASES: [pattern: string, reply: string][] = [
  // greylisting
  ['greylisting', '450 4.7.1 <newcomer@greylist.test>: Sender address rejected: Greylisted, please try again later'],
  ['greylisting', '450 4.2.0 <bob@example.com>: Recipient address rejected: Greylisted, see http://postgrey.schweikert.ch/help/example.com.html'],
  ['greylisting', '451 4.7.1 Greylisting in action, please come back in 00:05:00'],
  ['greylisting', '451 Internal resource temporarily unavailable - https://community.mimecast.com/docs/DOC-1369#451'],
  ['greylisting', '451 4.7.1 Greylisted, please try again later'],
  // DNSBL / reputation
  ['dnsbl', '554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org; https://www.spamhaus.org/query/ip/192.0.2.1'],
  ['dnsbl', '554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using bl.spamcop.net; Blocked - see https://www.spamcop.net/bl.shtml?192.0.2.1'],
  ['dnsbl', '554 Service unavailable; Client host [192.0.2.1] blocked using Barracuda Reputation; http://www.barracudanetworks.com/reputation/?pr=1&ip=192.0.2.1'],
  ['dnsbl', "550 5.7.1 Unfortunately, messages from [192.0.2.1] weren't sent. Please contact your Internet service provider since part of their network is on our block list (S3150)."],
  ['dnsbl', '550 5.7.606 Access denied, banned sending IP [192.0.2.1]. To request removal from this list please visit https://sender.office.com/'],
  ['dnsbl', '550 Rejected because 192.0.2.1 is in a black list at zen.spamhaus.org'],
  ['dnsbl', "553 5.7.1 [BL21] Connections will not be accepted from 192.0.2.1, because the ip is in Spamhaus's list; see https://postmaster.yahooinc.com/error-codes"],
  ['dnsbl', '554 5.7.1 <unknown[192.0.2.1]>: Client host rejected: Access denied'],
  // relay
  ['relay-denied', '554 5.7.1 <victim@elsewhere.example>: Relay access denied'],
  ['relay-denied', '550 5.7.1 <victim@elsewhere.example>... Relaying denied'],
  ['relay-denied', '550 relay not permitted'],
  ['relay-denied', '550 5.7.54 SMTP; Unable to relay recipient in non-accepted domain'],
  ['relay-denied', "553 sorry, that domain isn't in my list of allowed rcpthosts (#5.7.1)"],
  // authentication required
  ['auth-required', '530 5.7.0 Authentication required'],
  ['auth-required', '530-5.7.0 Authentication Required. For more information, go to\n530 5.7.0  https://support.google.com/mail/?p=WantAuthError - gsmtp'],
  ['auth-required', '530 5.7.57 Client not authenticated to send mail. [AM0PR01CA0001.eurprd01.prod.exchangelabs.com]'],
  ['auth-required', '553 5.7.1 <alice@example.com>: Sender address rejected: not logged in'],
  // STARTTLS / TLS
  ['starttls-required', '530 5.7.0 Must issue a STARTTLS command first'],
  ['starttls-required', '530 5.7.0 Must issue a STARTTLS command first. e2-20020a05600c4b8200b004101e9ed3d6sm123456wmp.1 - gsmtp'],
  ['starttls-required', '538 5.7.11 Encryption required for requested authentication mechanism'],
  ['tls-unavailable', '454 4.7.0 TLS not available due to local problem'],
  ['tls-unavailable', '454 TLS not available due to temporary reason'],
  ['auth-not-offered', '503 5.5.1 Error: authentication not enabled'],
  ['auth-not-offered', '504 5.7.4 Unrecognized authentication type'],
  // authentication failed
  ['auth-failed', '535 5.7.8 Error: authentication failed: authentication failure'],
  ['auth-failed', '535 5.7.8 Error: authentication failed: (reason unavailable)'],
  ['auth-failed', '535-5.7.8 Username and Password not accepted. For more information, go to\n535 5.7.8  https://support.google.com/mail/?p=BadCredentials - gsmtp'],
  ['auth-failed', '535 5.7.3 Authentication unsuccessful'],
  ['auth-failed', '535 5.7.139 Authentication unsuccessful, the user credentials were incorrect.'],
  ['auth-failed', '535 Incorrect authentication data'],
  ['auth-failed', '-ERR [AUTH] Authentication failed.'],
  ['auth-failed', 'KCLL1 NO [AUTHENTICATIONFAILED] Authentication failed.'],
  ['auth-failed', 'a1 NO [AUTHENTICATIONFAILED] Invalid credentials (Failure)'],
  ['auth-failed', 'a2 NO Login failed.'],
  ['basic-auth-disabled', '535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information.'],
  ['basic-auth-disabled', '535 5.7.139 Authentication unsuccessful, basic authentication is disabled.'],
  ['app-password-required', '534-5.7.9 Application-specific password required. For more information, go to\n534 5.7.9  https://support.google.com/mail/?p=InvalidSecondFactor - gsmtp'],
  ['app-password-required', '534-5.7.14 <https://accounts.google.com/signin/continue?sarp=1> Please log in via your web browser and\n534-5.7.14 then try again.\n534 5.7.14  Learn more at https://support.google.com/mail/answer/78754 - gsmtp'],
  ['sender-login-mismatch', '553 5.7.1 <ceo@example.com>: Sender address rejected: not owned by user alice'],
  ['sender-login-mismatch', '550 5.7.60 SMTP; Client does not have permissions to send as this sender'],
  // too many connections / rate limits
  ['rate-limited', '421 4.7.0 mail.example.com Error: too many connections from 192.0.2.1'],
  ['rate-limited', '450 4.7.1 Error: too much mail from 192.0.2.1'],
  ['rate-limited', '450 4.7.1 Error: too many recipients from 192.0.2.1'],
  ['rate-limited', '421-4.7.28 [192.0.2.1] Our system has detected an unusual rate of unsolicited mail originating\n421-4.7.28 from your IP address. To protect our users from spam, mail sent from your IP\n421 4.7.28 address has been temporarily rate limited. - gsmtp'],
  ['rate-limited', '421-4.7.0 [192.0.2.1] Our system has detected an unusual rate of unsolicited mail originating from your IP address. - gsmtp'],
  ['rate-limited', '450-4.2.1 The user you are trying to contact is receiving mail at a rate that\n450 4.2.1 prevents additional messages from being delivered. - gsmtp'],
  ['complaints-deferred', '421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred due to unexpected volume or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes'],
  ['rate-limited', '451 4.7.500 Server busy. Please try again later from [192.0.2.1]. (S77714) [DB5EUR01FT001.eop-EUR01.prod.protection.outlook.com]'],
  ['rate-limited', '421 Too many concurrent SMTP connections; please try again later.'],
  ['rate-limited', '421 4.3.2 The maximum number of concurrent connections has exceeded a limit, closing transmission channel'],
  ['rate-limited', '550 5.4.5 Daily user sending limit exceeded.'],
  // mailbox full
  ['mailbox-full', '552 5.2.2 <bob@example.com> Quota exceeded (mailbox for user is full)'],
  ['mailbox-full', '452-4.2.2 The email account that you tried to reach is over quota. Please direct\n452 4.2.2 the recipient to https://support.google.com/mail/?p=OverQuotaTemp - gsmtp'],
  ['mailbox-full', '552-5.2.2 The email account that you tried to reach is over quota and inactive. - gsmtp'],
  ['mailbox-full', '554 5.2.2 mailbox full; STOREDRV.Deliver.Exception:QuotaExceededException.MapiExceptionShutoffQuotaExceeded'],
  ['mailbox-full', 'A5 NO [OVERQUOTA] Quota exceeded (mailbox for user is full)'],
  // message too big
  ['message-too-big', '552 5.3.4 Message size exceeds fixed limit'],
  ['message-too-big', '552 5.3.4 Message size exceeds fixed maximum message size'],
  ['message-too-big', "552-5.2.3 Your message exceeded Google's message size limits. Please visit\n552 5.2.3 https://support.google.com/mail/?p=MaxSizeError - gsmtp"],
  ['message-too-big', '523 5.3.4 Message too big for system'],
  ['message-too-big', '552 Message size exceeds maximum permitted'],
  ['message-too-big', '552 5.3.4 Error: message file too big'],
  // unknown user, mailbox disabled
  ['unknown-user', '550 5.1.1 <nobody@example.test>: Recipient address rejected: User unknown in virtual mailbox table'],
  ['unknown-user', '550 5.1.1 <nobody@example.com>: Recipient address rejected: User unknown in local recipient table'],
  ['unknown-user', "550-5.1.1 The email account that you tried to reach does not exist. Please try\n550-5.1.1 double-checking the recipient's email address for typos or\n550 5.1.1 unnecessary spaces. https://support.google.com/mail/?p=NoSuchUser - gsmtp"],
  ['unknown-user', '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup'],
  ['unknown-user', '550 5.1.1 <nobody@example.com>... User unknown'],
  ['unknown-user', '550 Unrouteable address'],
  ['unknown-user', '550 No such user here'],
  ['unknown-user', "554 delivery error: dd This user doesn't have a yahoo.com account (nobody@yahoo.com) [0] - mta1001.mail.gq1.yahoo.com"],
  ['mailbox-disabled', '550-5.2.1 The email account that you tried to reach is disabled. Learn more at\n550 5.2.1 https://support.google.com/mail/?p=DisabledUser - gsmtp'],
  ['mailbox-disabled', '554 delivery error: dd Sorry your message to bob@yahoo.com cannot be delivered. This mailbox is disabled (554.30). - mta1001.mail.gq1.yahoo.com'],
  ['mailbox-disabled', '550 5.2.1 Mailbox disabled, not accepting messages'],
  // sender / recipient domain
  ['sender-domain-unresolved', '450 4.1.8 <alice@nonexistent.example>: Sender address rejected: Domain not found'],
  ['sender-domain-unresolved', '553 5.1.8 <alice@nonexistent.example>... Domain of sender address alice@nonexistent.example does not exist'],
  ['sender-domain-unresolved', '451 4.1.8 Domain of sender address alice@nonexistent.example does not resolve'],
  ['recipient-domain-unresolved', '450 4.1.2 <bob@nonexistent.example>: Recipient address rejected: Domain not found'],
  // reverse DNS, HELO, dynamic IPs
  ['reverse-dns', '450 4.7.1 Client host rejected: cannot find your hostname, [192.0.2.1]'],
  ['reverse-dns', '450 4.7.1 Client host rejected: cannot find your reverse hostname, [192.0.2.1]'],
  ['reverse-dns', '550-5.7.25 [192.0.2.1] The IP address sending this message does not have a PTR record setup,\n550-5.7.25 or the corresponding forward DNS entry does not point to the sending IP. - gsmtp'],
  ['helo-rejected', '450 4.7.1 <localhost>: Helo command rejected: Host not found'],
  ['helo-rejected', '504 5.5.2 <server>: Helo command rejected: need fully-qualified hostname'],
  ['dynamic-ip', '554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using pbl.spamhaus.org; https://www.spamhaus.org/query/ip/192.0.2.1'],
  ['dynamic-ip', '554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using dul.dnsbl.sorbs.net; Dynamic IP Addresses See: http://www.sorbs.net/lookup.shtml?192.0.2.1'],
  ['dynamic-ip', '550 5.7.1 Mail from residential or dialup IP addresses is not accepted'],
  // SPF, DKIM, DMARC
  ['spf', '550 5.7.23 <bob@example.org>: Recipient address rejected: Message rejected due to: SPF fail - not authorized. Please see http://www.openspf.net/Why?s=mfrom;id=alice@example.com;ip=192.0.2.1;r=<UNKNOWN>'],
  ['spf', '550-5.7.26 The MAIL FROM domain [example.com] has an SPF record with a hard fail\n550-5.7.26 policy (-all) but it fails to pass SPF checks with the ip: [192.0.2.1]. - gsmtp'],
  ['spf', '550 5.7.1 SPF unauthorized mail is prohibited.'],
  ['dmarc', "550-5.7.26 Unauthenticated email from example.com is not accepted due to domain's\n550-5.7.26 DMARC policy. Please contact the administrator of example.com domain if\n550 5.7.26 this was a legitimate mail. - gsmtp"],
  ['dmarc', '550 5.7.509 Access denied, sending domain [example.com] does not pass DMARC verification and has a DMARC policy of reject.'],
  ['dmarc', "550 5.7.515 Access denied, sending domain [example.com] doesn't meet the required authentication level."],
  ['dmarc', '550 5.7.1 rejected by DMARC policy for example.com'],
  ['policy-rejected', '554 5.7.9 Message not accepted for policy reasons. See https://help.yahoo.com/kb/postmaster/SLN7253.html'],
  ['sender-unauthenticated', '550-5.7.26 This mail has been blocked because the sender is unauthenticated. Gmail\n550-5.7.26 requires all senders to authenticate with either SPF or DKIM. - gsmtp'],
  ['sender-unauthenticated', '550-5.7.1 This message does not have authentication information or fails to pass\n550 5.7.1 authentication checks. - gsmtp'],
  // spam and viruses
  ['virus', '554 5.7.0 Reject, id=12345-01 - INFECTED: Eicar-Test-Signature'],
  ['virus', '552-5.7.0 This message was blocked because its content presents a potential\n552-5.7.0 security issue. - gsmtp'],
  ['virus', '550 This message contains a virus (Eicar-Test-Signature) and has been rejected'],
  ['spam', '550-5.7.1 [192.0.2.1] Our system has detected that this message is likely\n550-5.7.1 unsolicited mail. To reduce the amount of spam sent to Gmail, this message\n550 5.7.1 has been blocked. - gsmtp'],
  ['spam', '550 5.7.1 Message content rejected'],
  ['spam', '554 5.7.1 Spam message rejected'],
  ['spam', '550 5.7.350 Remote server returned message detected as spam'],
  ['spam', '550 5.7.1 Blocked by SpamAssassin'],
  // recipients, sequence, lines
  ['too-many-recipients', '452 4.5.3 Error: too many recipients'],
  ['too-many-recipients', '452-4.5.3 Your message has too many recipients. For more information regarding\n452 4.5.3 https://support.google.com/mail/?p=TooManyRecipientsError - gsmtp'],
  ['too-many-recipients', '550 5.5.3 RESOLVER.ADR.RecipLimit; too many recipients'],
  ['too-many-recipients', '452 too many recipients'],
  ['bad-sequence', '503 5.5.1 Error: need MAIL command'],
  ['bad-sequence', '503 5.5.1 Error: need RCPT command'],
  ['bad-sequence', '503 5.5.1 Error: send HELO/EHLO first'],
  ['bad-sequence', '503 5.5.1 Error: nested MAIL command'],
  ['bad-sequence', '503 sender already given'],
  ['bad-sequence', '503-All RCPT commands were rejected with this error:\n503-<nobody@example.com>: Recipient address rejected\n503 Valid RCPT command must precede DATA'],
  ['bad-sequence', '503 5.5.2 Send hello first'],
  ['line-too-long', '500 5.5.2 Error: line too long'],
  ['line-too-long', '500 Line too long'],
  ['line-too-long', '550 5.6.0 Message contains lines longer than 998 characters'],
  ['line-too-long', 'a1 BAD Command line too long'],
  ['bare-lf', '521 5.5.2 mail.example.com Error: bare <LF> received'],
  // POP3 / IMAP
  ['mailbox-in-use', '-ERR [IN-USE] maildrop lock busy! Is another session active?'],
  ['mailbox-in-use', '-ERR [IN-USE] Unable to lock maildrop: Mailbox is locked by POP server'],
  ['mailbox-in-use', 'a3 NO [INUSE] Mailbox is in use by another session'],
  ['login-disabled-until-tls', 'a1 NO [PRIVACYREQUIRED] Plaintext authentication disallowed on non-secure (SSL/TLS) connections.'],
  ['login-disabled-until-tls', '-ERR [AUTH] Plaintext authentication disallowed on non-secure (SSL/TLS) connections.'],
  ['login-disabled-until-tls', '-ERR Plaintext authentication disallowed on non-secure (SSL/TLS) connections.'],
  ['login-disabled-until-tls', 'a001 NO Login only available under a layer'],
  ['too-many-auth-failures', '* BYE Too many invalid IMAP commands.'],
  ['too-many-auth-failures', '-ERR Disconnected: Too many invalid commands'],
  ['too-many-auth-failures', '421 4.7.0 mail.example.com Error: too many errors'],
  ['too-many-auth-failures', '421 4.7.0 Too many errors on this connection, closing transmission channel'],
  ['too-many-auth-failures', '454-4.7.0 Too many login attempts, please try again later. For more information, go to\n454 4.7.0 https://support.google.com/mail/?p=LoginTooManyAttempts - gsmtp'],
  ['too-many-auth-failures', 'a1 NO [AUTHENTICATIONFAILED] Too many invalid authentication attempts'],
  ['idle-timeout', '* BYE Disconnected for inactivity.'],
  ['idle-timeout', '* BYE Autologout; idle for too long'],
  ['deferred-try-later', '421-4.7.0 Try again later, closing connection. (EHLO) - gsmtp'],
  ['deferred-try-later', '451 4.3.0 Temporarily rejected, please try again later'],
  // server-side trouble, reputation, loops, verification (issue 16)
  ['auth-temporary', 'a2 NO [UNAVAILABLE] Temporary authentication failure. [mail.example.com:2026-01-01 00:00:00]'],
  ['auth-temporary', '454 4.7.0 Temporary authentication failure'],
  ['user-connection-limit', '* BYE Maximum number of connections from user+IP exceeded (mail_max_userip_connections=10)'],
  ['relay-denied-no-rdns', '550 5.7.1 <bob@elsewhere.example>... Relaying denied. IP name lookup failed [192.0.2.1]'],
  ['lookup-failure', '451 4.3.0 <bob@example.com>: Temporary lookup failure'],
  ['local-problem', '451 Temporary local problem - please try later'],
  ['ip-reputation', '550-5.7.28 [192.0.2.1] Our system has detected an unusual rate of unsolicited mail originating\n550-5.7.28 from your IP address. To protect our users from spam, mail sent from your IP\n550 5.7.28 address has been blocked. - gsmtp'],
  ['administrative-prohibition', '554 5.7.1 <bob@example.com>: Recipient address rejected: Access denied'],
  ['administrative-prohibition', '554 5.7.1 <eve@example.net>: Sender address rejected: Access denied'],
  ['unknown-user', '550 5.4.1 Recipient address rejected: Access denied. AS(201806281) [AM0PR01MB1234.eurprd01.prod.exchangelabs.com]'],
  ['ip-reputation', '550 5.7.708 Service unavailable. Access denied, traffic not accepted from this IP. For more information please go to http://go.microsoft.com/fwlink/?LinkId=526653 AS(7708)'],
  ['ip-reputation', '451 4.7.650 The mail server [192.0.2.1] has been temporarily rate limited due to IP reputation. For e-mail delivery information, see https://aka.ms/postmaster (S775)'],
  ['policy-rejected', '554 5.7.9 Message not accepted for policy reasons. See https://senders.yahooinc.com/error-codes'],
  ['unknown-command', '500 5.5.1 Command unrecognized: "XYZZY"'],
  ['sender-verify-failed', '550 Verification failed for <nobody@example.com>'],
  ['administrative-prohibition', '550 Administrative prohibition'],
  ['mail-loop', '554 5.4.14 Hop count exceeded - possible mail loop ATTR34 [DB5EUR01FT001.eop-EUR01.prod.protection.outlook.com]'],
  ['server-resources', '452 4.3.1 Insufficient system resources'],
  ['connection-timeout', '421 4.4.2 mail.example.com Error: timeout exceeded'],
];

describe('reply texts recognised by pattern', () => {
  it.each(CASES)('%s: %s', (pattern, reply) => {
    const e = explainText(reply);
    expect(e, 'the line must read as a reply').not.toBeNull();
    expect(e!.pattern).toBe(pattern);
    expect(e!.parts[0]).toMatchObject({ kind: 'pattern', key: pattern });
    expect(e!.meaning).toBe(PATTERNS.find((p) => p.id === pattern)!.en.meaning);
  });

  it('has at least 60 different real reply texts', () => {
    expect(new Set(CASES.map(([, r]) => r)).size).toBeGreaterThanOrEqual(60);
  });

  it('has a case for every pattern', () => {
    const tested = new Set(CASES.map(([p]) => p));
    expect(PATTERNS.map((p) => p.id).filter((id) => !tested.has(id))).toEqual([]);
  });

  it('gives the Chinese text of the same pattern with --lang zh', () => {
    const e = explainText('554 5.7.1 <victim@elsewhere.example>: Relay access denied', 'zh')!;
    expect(e.meaning).toBe('拒绝中继');
    expect(e.fix).toContain('587');
  });

  it('matches nothing on a plain failure without telling text, and falls back to the codes', () => {
    const e = explainText('550 5.7.1 Go away')!;
    expect(e.pattern).toBeNull();
    expect(e.meaning).toBe('Delivery not authorized, message refused');
  });
});
