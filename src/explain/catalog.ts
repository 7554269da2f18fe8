/**
 * Everything the explanations say, in one table per kind of code, in every
 * language of types.ts. Translators extend this file only.
 *
 * Why a TypeScript module and not a JSON file: the `Entry` type makes the
 * compiler reject an entry that lacks a language or one of meaning / cause /
 * fix (add 'ja' to Lang and tsc lists every entry to translate); the reply-text
 * patterns keep their regular expressions next to their texts; and tsc builds
 * it into dist/ with nothing to copy or load at run time.
 *
 * Sources: RFC 5321 section 4.2 (basic codes), RFC 4954 (AUTH codes), RFC 7504
 * (521, 556), RFC 3463, 5248 and the IANA "SMTP Enhanced Status Codes"
 * registry (class, subject, detail), RFC 2449, 3206, 6856 (POP3 response
 * codes), RFC 5530 and 9051 (IMAP response codes). The wording is our own.
 */
import type { Entry, Lang, PatternEntry } from './types.js';

/** SMTP basic reply codes (RFC 5321 4.2.2-4.2.3, RFC 4954, RFC 7504). */
export const SMTP_CODES: Record<string, Entry> = {
  '211': {
    en: { meaning: 'System status or help reply', cause: 'Answer to a HELP or status request.', fix: 'Nothing to fix.' },
    zh: { meaning: '系统状态或帮助应答', cause: '对 HELP 或状态查询的回答。', fix: '无需处理。' },
  },
  '214': {
    en: { meaning: 'Help message', cause: 'Answer to HELP, meant for a person.', fix: 'Nothing to fix.' },
    zh: { meaning: '帮助信息', cause: '对 HELP 命令的回答，供人阅读。', fix: '无需处理。' },
  },
  '220': {
    en: { meaning: 'Service ready', cause: 'The server greets the client, or is ready to start TLS after STARTTLS.', fix: 'Nothing to fix.' },
    zh: { meaning: '服务就绪', cause: '服务器的欢迎信息，或 STARTTLS 之后准备开始 TLS。', fix: '无需处理。' },
  },
  '221': {
    en: { meaning: 'Service closing the connection', cause: 'Answer to QUIT: the session ends normally.', fix: 'Nothing to fix.' },
    zh: { meaning: '服务关闭连接', cause: '对 QUIT 的回答，会话正常结束。', fix: '无需处理。' },
  },
  '235': {
    en: { meaning: 'Authentication succeeded', cause: 'The AUTH exchange ended with valid credentials (RFC 4954).', fix: 'Nothing to fix.' },
    zh: { meaning: '认证成功', cause: 'AUTH 交互以有效凭据结束（RFC 4954）。', fix: '无需处理。' },
  },
  '250': {
    en: { meaning: 'Requested action completed', cause: 'The command was accepted.', fix: 'Nothing to fix.' },
    zh: { meaning: '请求的操作已完成', cause: '命令已被接受。', fix: '无需处理。' },
  },
  '251': {
    en: { meaning: 'User not local; will forward', cause: 'The server accepts the recipient and will pass the message on to another address.', fix: 'Nothing to fix; update the address if the new one is known.' },
    zh: { meaning: '用户不在本地，将转发', cause: '服务器接受该收件人，并会把邮件转交到另一个地址。', fix: '无需处理；如已知新地址，可更新通讯录。' },
  },
  '252': {
    en: { meaning: 'Cannot verify the user, but will accept the message', cause: 'Answer to VRFY on a server that does not reveal its users.', fix: 'Nothing to fix; send the message to find out.' },
    zh: { meaning: '无法验证用户，但会接受邮件', cause: '服务器不公开用户列表时对 VRFY 的回答。', fix: '无需处理；直接发送邮件即可。' },
  },
  '334': {
    en: { meaning: 'Authentication challenge', cause: 'The server waits for the next step of the SASL exchange (RFC 4954).', fix: 'Nothing to fix; the client sends its response.' },
    zh: { meaning: '认证质询', cause: '服务器等待 SASL 交互的下一步（RFC 4954）。', fix: '无需处理；客户端应发送响应。' },
  },
  '354': {
    en: { meaning: 'Start mail input', cause: 'Answer to DATA: the client sends the message, ended by a line with a single dot.', fix: 'Nothing to fix.' },
    zh: { meaning: '开始输入邮件内容', cause: '对 DATA 的回答：客户端发送邮件内容，以单独一个点的行结束。', fix: '无需处理。' },
  },
  '421': {
    en: { meaning: 'Service not available, closing the connection', cause: 'The server is shutting down, overloaded, or limits this client (too many connections, errors or messages).', fix: 'Retry later; if it persists, lower the sending rate and connection count, or ask the server administrator.' },
    zh: { meaning: '服务不可用，正在关闭连接', cause: '服务器正在关闭、负载过高，或对该客户端做了限制（连接、错误或邮件过多）。', fix: '稍后重试；若持续出现，降低发送速率和并发连接数，或联系对方管理员。' },
  },
  '432': {
    en: { meaning: 'A password transition is needed', cause: 'The account must change its password before this mechanism can be used (RFC 4954).', fix: 'Log in once with a plain-text mechanism over TLS, or change the password, then retry.' },
    zh: { meaning: '需要进行密码过渡', cause: '账户需先更新密码才能使用该认证机制（RFC 4954）。', fix: '先通过 TLS 用明文机制登录一次或修改密码，然后重试。' },
  },
  '450': {
    en: { meaning: 'Mailbox unavailable (temporary)', cause: 'The mailbox is busy or locked, or a policy defers the message for now (greylisting, rate limits, a failed DNS lookup).', fix: 'Let the sending server retry as it normally does; look at the text for the reason.' },
    zh: { meaning: '邮箱暂时不可用', cause: '邮箱忙或被锁定，或策略暂时推迟了该邮件（灰名单、速率限制、DNS 查询失败）。', fix: '让发送服务器按正常机制重试；根据应答文字判断具体原因。' },
  },
  '451': {
    en: { meaning: 'Local error in processing (temporary)', cause: 'The server hit a temporary problem: a failed lookup, a filter or milter error, greylisting, or a full queue.', fix: 'Retry later; if it keeps happening, the server administrator should check the mail logs.' },
    zh: { meaning: '处理时出现本地错误（临时）', cause: '服务器遇到临时问题：查询失败、过滤器或 milter 出错、灰名单或队列已满。', fix: '稍后重试；若反复出现，应由服务器管理员检查邮件日志。' },
  },
  '452': {
    en: { meaning: 'Insufficient system storage (temporary)', cause: 'The server or the mailbox is out of space, or the message has too many recipients for now.', fix: 'Retry later; send to fewer recipients per message; the administrator should free disk space or raise the quota.' },
    zh: { meaning: '系统存储空间不足（临时）', cause: '服务器或邮箱空间不足，或本次收件人数量过多。', fix: '稍后重试；减少每封邮件的收件人数；管理员应释放磁盘空间或提高配额。' },
  },
  '454': {
    en: { meaning: 'Temporary authentication or TLS failure', cause: 'The server cannot authenticate now (its password backend is down) or cannot start TLS (no certificate, TLS not available).', fix: 'Retry later; the server administrator should check the authentication backend and the TLS certificate and key.' },
    zh: { meaning: '临时的认证或 TLS 失败', cause: '服务器暂时无法认证（后端密码服务不可用）或无法启动 TLS（缺少证书、TLS 不可用）。', fix: '稍后重试；服务器管理员应检查认证后端以及 TLS 证书和私钥。' },
  },
  '455': {
    en: { meaning: 'Server unable to accommodate parameters', cause: 'A MAIL or RCPT parameter cannot be honoured right now.', fix: 'Retry later, or send without the parameter.' },
    zh: { meaning: '服务器暂时无法处理参数', cause: 'MAIL 或 RCPT 的某个参数目前无法满足。', fix: '稍后重试，或不带该参数发送。' },
  },
  '500': {
    en: { meaning: 'Syntax error, command unrecognised', cause: 'The command is unknown or malformed, or the line is too long; often a client talking the wrong protocol or a firewall rewriting commands.', fix: 'Check what the client sent (it is in the transcript); disable SMTP "inspection" on firewalls; fix the client.' },
    zh: { meaning: '语法错误，无法识别命令', cause: '命令未知或格式错误，或行过长；常见于客户端协议不对或防火墙改写了命令。', fix: '在会话记录中检查客户端发送的内容；关闭防火墙的 SMTP“检查”功能；修正客户端。' },
  },
  '501': {
    en: { meaning: 'Syntax error in parameters or arguments', cause: 'The command is known but its arguments are malformed (a bad address, a missing <>, a bad HELO name).', fix: 'Correct the argument the client sent: address syntax, HELO name, parameter format.' },
    zh: { meaning: '参数语法错误', cause: '命令可识别但参数格式错误（地址错误、缺少 <>、HELO 名称不合法）。', fix: '修正客户端发送的参数：地址格式、HELO 名称、参数格式。' },
  },
  '502': {
    en: { meaning: 'Command not implemented', cause: 'The server does not support this command (VRFY, EXPN, TURN, an extension it did not announce).', fix: 'Use only the commands and extensions the server lists in its EHLO reply.' },
    zh: { meaning: '命令未实现', cause: '服务器不支持该命令（VRFY、EXPN、TURN 或未声明的扩展）。', fix: '只使用服务器在 EHLO 应答中列出的命令和扩展。' },
  },
  '503': {
    en: { meaning: 'Bad sequence of commands', cause: 'A command came out of order: RCPT before MAIL, DATA before RCPT, AUTH twice, MAIL before HELO, or AUTH where it is not offered.', fix: 'Fix the client to follow HELO/EHLO, (AUTH), MAIL, RCPT, DATA; check that an earlier command did not fail.' },
    zh: { meaning: '命令顺序错误', cause: '命令顺序不对：MAIL 之前发 RCPT、RCPT 之前发 DATA、重复 AUTH、HELO 之前发 MAIL，或在未提供 AUTH 时使用 AUTH。', fix: '让客户端按 HELO/EHLO、（AUTH）、MAIL、RCPT、DATA 的顺序发送；检查前一条命令是否已失败。' },
  },
  '504': {
    en: { meaning: 'Command parameter not implemented', cause: 'The server does not support a parameter or an AUTH mechanism the client asked for.', fix: 'Use a mechanism or parameter the server announces in EHLO.' },
    zh: { meaning: '命令参数未实现', cause: '服务器不支持客户端请求的参数或 AUTH 认证机制。', fix: '使用服务器在 EHLO 中声明的机制或参数。' },
  },
  '521': {
    en: { meaning: 'Server does not accept mail', cause: 'This host never accepts mail (RFC 7504), e.g. a domain that sends but does not receive.', fix: 'Do not send to this host; check the domain\'s MX records.' },
    zh: { meaning: '服务器不接收邮件', cause: '该主机从不接收邮件（RFC 7504），例如只发不收的域名。', fix: '不要向该主机发信；检查该域名的 MX 记录。' },
  },
  '530': {
    en: { meaning: 'Authentication (or TLS) required', cause: 'The server accepts mail on this port only from clients that log in, often only after STARTTLS.', fix: 'Configure the client to use STARTTLS and SMTP authentication (usually port 587) with a valid account.' },
    zh: { meaning: '需要认证（或 TLS）', cause: '该端口只接受已登录客户端的邮件，通常还要求先执行 STARTTLS。', fix: '配置客户端启用 STARTTLS 和 SMTP 认证（通常使用 587 端口）并使用有效账户。' },
  },
  '534': {
    en: { meaning: 'Authentication mechanism is too weak', cause: 'The server refuses this mechanism (often a plain-text one) or wants an app password or browser sign-in first.', fix: 'Use a stronger mechanism or TLS, an app password, or OAuth as the provider asks.' },
    zh: { meaning: '认证机制强度不足', cause: '服务器拒绝该机制（常为明文机制），或要求先使用应用专用密码或通过浏览器登录。', fix: '按服务商要求改用更强的机制或 TLS、应用专用密码或 OAuth。' },
  },
  '535': {
    en: { meaning: 'Authentication credentials invalid', cause: 'Wrong user name or password, an expired or locked account, or a password where the provider wants an app password or OAuth.', fix: 'Check the user name (often the full address) and password; use an app password or OAuth where required; check the account is not locked.' },
    zh: { meaning: '认证凭据无效', cause: '用户名或密码错误、账户过期或被锁定，或服务商要求使用应用专用密码或 OAuth。', fix: '核对用户名（通常是完整邮箱地址）和密码；按要求使用应用专用密码或 OAuth；确认账户未被锁定。' },
  },
  '538': {
    en: { meaning: 'Encryption required for this authentication mechanism', cause: 'The client tried a plain-text mechanism on a connection without TLS (RFC 4954).', fix: 'Issue STARTTLS (or use port 465) before AUTH.' },
    zh: { meaning: '该认证机制要求加密', cause: '客户端在未加密的连接上使用了明文认证机制（RFC 4954）。', fix: '在 AUTH 之前先执行 STARTTLS（或使用 465 端口）。' },
  },
  '550': {
    en: { meaning: 'Mailbox unavailable, or refused by policy', cause: 'The recipient does not exist, or the message, sender or client IP is refused by policy (relaying, blocklist, SPF/DMARC, spam).', fix: 'Read the text and the enhanced code for the reason; check the address; the sending side fixes its reputation or authentication.' },
    zh: { meaning: '邮箱不可用或被策略拒绝', cause: '收件人不存在，或邮件、发件人、客户端 IP 被策略拒绝（中继、黑名单、SPF/DMARC、垃圾邮件）。', fix: '根据应答文字和增强状态码判断原因；核对地址；发送方需改善信誉或配置发件认证。' },
  },
  '551': {
    en: { meaning: 'User not local; try another address', cause: 'The recipient has moved; the server names the new address but will not forward.', fix: 'Send to the address given in the reply.' },
    zh: { meaning: '用户不在本地，请尝试其他地址', cause: '收件人已迁移，服务器给出新地址但不代为转发。', fix: '改发到应答中给出的地址。' },
  },
  '552': {
    en: { meaning: 'Exceeded storage allocation', cause: 'The message is larger than the server accepts, or the recipient\'s mailbox is full.', fix: 'Send a smaller message (share large files by link); the recipient should empty the mailbox.' },
    zh: { meaning: '超出存储分配', cause: '邮件超过服务器接受的大小，或收件人邮箱已满。', fix: '减小邮件大小（大文件改用链接分享）；收件人应清理邮箱。' },
  },
  '553': {
    en: { meaning: 'Mailbox name not allowed', cause: 'The address is syntactically wrong, or the sender is not allowed to use this From address.', fix: 'Correct the address; send from an address the authenticated account owns.' },
    zh: { meaning: '邮箱名不被允许', cause: '地址语法错误，或发件人无权使用该发件地址。', fix: '修正地址；使用当前认证账户所拥有的发件地址。' },
  },
  '554': {
    en: { meaning: 'Transaction failed (or no SMTP service here)', cause: 'The server refused the message or the connection: relaying denied, spam or virus, blocklisted IP; as a greeting, it will not talk to this client.', fix: 'Read the text and the enhanced code for the reason; fix relaying, authentication or IP reputation accordingly.' },
    zh: { meaning: '事务失败（或此处无 SMTP 服务）', cause: '服务器拒绝了邮件或连接：拒绝中继、垃圾邮件或病毒、IP 在黑名单中；若出现在欢迎信息中，表示不为该客户端服务。', fix: '根据应答文字和增强状态码判断原因，相应处理中继、认证或 IP 信誉问题。' },
  },
  '555': {
    en: { meaning: 'MAIL FROM / RCPT TO parameters not recognised or not implemented', cause: 'The client used an ESMTP parameter (SIZE, BODY, SMTPUTF8, ...) the server did not announce.', fix: 'Send only the parameters the server lists in EHLO.' },
    zh: { meaning: 'MAIL FROM / RCPT TO 参数无法识别或未实现', cause: '客户端使用了服务器未声明的 ESMTP 参数（SIZE、BODY、SMTPUTF8 等）。', fix: '只发送服务器在 EHLO 中列出的参数。' },
  },
  '556': {
    en: { meaning: 'Domain does not accept mail', cause: 'The recipient domain declares that it receives no mail (a null MX, RFC 7504 / 7505).', fix: 'Do not send to this domain; check the address.' },
    zh: { meaning: '该域名不接收邮件', cause: '收件域名声明不接收邮件（空 MX，RFC 7504 / 7505）。', fix: '不要向该域名发信；核对地址。' },
  },
};

/** Enhanced status code classes (RFC 3463 section 3.1), keyed by the first digit. */
export const ENHANCED_CLASSES: Record<string, Entry> = {
  '2': {
    en: { meaning: 'Success', cause: 'The action succeeded; the rest of the code may note a change made on the way.', fix: 'Nothing to fix.' },
    zh: { meaning: '成功', cause: '操作成功；其余部分可能说明投递途中做过的变换。', fix: '无需处理。' },
  },
  '4': {
    en: { meaning: 'Persistent transient failure', cause: 'The message is valid, but a temporary condition stopped it; the same message may succeed later.', fix: 'Retry later (a mail server does so by itself); fix the condition if it lasts.' },
    zh: { meaning: '持续性临时失败', cause: '邮件本身有效，但临时状况阻止了投递；稍后重发可能成功。', fix: '稍后重试（邮件服务器会自动重试）；若长期存在，需解决根本原因。' },
  },
  '5': {
    en: { meaning: 'Permanent failure', cause: 'The message will not be accepted as sent; resending it unchanged will fail again.', fix: 'Change something first (address, content, authentication, sending IP), then resend.' },
    zh: { meaning: '永久失败', cause: '邮件按原样不会被接受，原样重发仍会失败。', fix: '先修改问题所在（地址、内容、认证、发送 IP），再重新发送。' },
  },
};

/** Enhanced status code subjects (RFC 3463 section 3.2), keyed by the second number. */
export const ENHANCED_SUBJECTS: Record<string, Entry> = {
  '0': {
    en: { meaning: 'Other or undefined status', cause: 'The server gives no more detail.', fix: 'Read the reply text for the reason.' },
    zh: { meaning: '其他或未定义状态', cause: '服务器没有给出更多细节。', fix: '根据应答文字判断原因。' },
  },
  '1': {
    en: { meaning: 'Addressing status', cause: 'Something is wrong with the sender or recipient address.', fix: 'Check the addresses in MAIL FROM and RCPT TO.' },
    zh: { meaning: '地址状态', cause: '发件人或收件人地址有问题。', fix: '检查 MAIL FROM 和 RCPT TO 中的地址。' },
  },
  '2': {
    en: { meaning: 'Mailbox status', cause: 'The address is right, but the recipient\'s mailbox has a problem (full, disabled).', fix: 'The recipient or their administrator fixes the mailbox.' },
    zh: { meaning: '邮箱状态', cause: '地址正确，但收件人的邮箱有问题（已满、已停用）。', fix: '由收件人或其管理员处理邮箱问题。' },
  },
  '3': {
    en: { meaning: 'Mail system status', cause: 'The receiving mail system has a problem or limit (storage, size, configuration).', fix: 'Usually for the receiving administrator; the sender may shrink the message.' },
    zh: { meaning: '邮件系统状态', cause: '接收方邮件系统存在问题或限制（存储、大小、配置）。', fix: '通常需接收方管理员处理；发件人可尝试减小邮件。' },
  },
  '4': {
    en: { meaning: 'Network and routing status', cause: 'A network, DNS or routing problem between mail systems.', fix: 'Check DNS (MX, A records), connectivity and routing between the servers.' },
    zh: { meaning: '网络与路由状态', cause: '邮件系统之间存在网络、DNS 或路由问题。', fix: '检查 DNS（MX、A 记录）、网络连通性和服务器之间的路由。' },
  },
  '5': {
    en: { meaning: 'Mail delivery protocol status', cause: 'The SMTP conversation itself went wrong (command, syntax, sequence).', fix: 'Look at the client\'s commands in the transcript and fix the client.' },
    zh: { meaning: '邮件投递协议状态', cause: 'SMTP 会话本身出错（命令、语法、顺序）。', fix: '在会话记录中查看客户端命令并修正客户端。' },
  },
  '6': {
    en: { meaning: 'Message content or media status', cause: 'The content of the message (format, encoding, conversion) is the problem.', fix: 'Check the message format and encoding, or what the content filter objects to.' },
    zh: { meaning: '邮件内容或媒体状态', cause: '问题出在邮件内容（格式、编码、转换）。', fix: '检查邮件格式和编码，或内容过滤器拒绝的原因。' },
  },
  '7': {
    en: { meaning: 'Security or policy status', cause: 'A security or policy rule refused it: authentication, relaying, reputation, SPF/DKIM/DMARC, spam.', fix: 'Find the rule in the text; fix authentication, sender records or reputation.' },
    zh: { meaning: '安全或策略状态', cause: '被安全或策略规则拒绝：认证、中继、信誉、SPF/DKIM/DMARC、垃圾邮件。', fix: '根据应答文字找出具体规则；修正认证、发件域 DNS 记录或 IP 信誉。' },
  },
};

/** Enhanced status code details, keyed "subject.detail" (IANA registry; RFC 3463, 3886, 4468, 4954, 5248, 6531, 6710, 7293, 7372, 7505, 8617, 8689). */
export const ENHANCED_DETAILS: Record<string, Entry> = {
  '0.0': {
    en: { meaning: 'Other undefined status', cause: 'No detail was given.', fix: 'Read the reply text.' },
    zh: { meaning: '其他未定义状态', cause: '没有给出细节。', fix: '阅读应答文字。' },
  },
  '1.0': {
    en: { meaning: 'Other address status', cause: 'An address problem the server does not classify further.', fix: 'Check the sender and recipient addresses.' },
    zh: { meaning: '其他地址状态', cause: '服务器未进一步分类的地址问题。', fix: '检查发件人和收件人地址。' },
  },
  '1.1': {
    en: { meaning: 'Bad destination mailbox address', cause: 'The recipient\'s mailbox does not exist at that domain (typo, deleted or never created account).', fix: 'Check the spelling of the recipient address; ask the recipient for a working address.' },
    zh: { meaning: '目标邮箱地址错误', cause: '该域名下不存在此收件人邮箱（拼写错误、账户已删除或从未创建）。', fix: '检查收件人地址拼写；向收件人索取有效地址。' },
  },
  '1.2': {
    en: { meaning: 'Bad destination system address', cause: 'The recipient\'s domain does not exist or cannot receive mail.', fix: 'Check the domain part of the address and its MX records.' },
    zh: { meaning: '目标系统地址错误', cause: '收件人域名不存在或无法接收邮件。', fix: '检查地址的域名部分及其 MX 记录。' },
  },
  '1.3': {
    en: { meaning: 'Bad destination mailbox address syntax', cause: 'The recipient address is malformed.', fix: 'Correct the address syntax (local@domain, in angle brackets).' },
    zh: { meaning: '目标邮箱地址语法错误', cause: '收件人地址格式不正确。', fix: '修正地址格式（local@domain，并用尖括号括起）。' },
  },
  '1.4': {
    en: { meaning: 'Destination mailbox address ambiguous', cause: 'The address matches more than one mailbox.', fix: 'Use a more precise address.' },
    zh: { meaning: '目标邮箱地址不明确', cause: '该地址对应多个邮箱。', fix: '使用更精确的地址。' },
  },
  '1.5': {
    en: { meaning: 'Destination address valid', cause: 'The recipient address is accepted.', fix: 'Nothing to fix.' },
    zh: { meaning: '目标地址有效', cause: '收件人地址已被接受。', fix: '无需处理。' },
  },
  '1.6': {
    en: { meaning: 'Destination mailbox has moved, no forwarding address', cause: 'The recipient used to exist here but has left.', fix: 'Find the recipient\'s new address by other means.' },
    zh: { meaning: '目标邮箱已迁移，无转发地址', cause: '收件人曾在此处，但已离开。', fix: '通过其他途径获取收件人的新地址。' },
  },
  '1.7': {
    en: { meaning: 'Bad sender\'s mailbox address syntax', cause: 'The MAIL FROM address is malformed.', fix: 'Correct the sender address in the client or application.' },
    zh: { meaning: '发件人邮箱地址语法错误', cause: 'MAIL FROM 地址格式不正确。', fix: '在客户端或应用中修正发件人地址。' },
  },
  '1.8': {
    en: { meaning: 'Bad sender\'s system address', cause: 'The sender\'s domain does not exist or has no MX or A record.', fix: 'Use a sender domain that resolves in public DNS; publish its MX/A records.' },
    zh: { meaning: '发件人系统地址错误', cause: '发件人域名不存在，或没有 MX / A 记录。', fix: '使用能在公网 DNS 解析的发件域名；发布其 MX / A 记录。' },
  },
  '1.9': {
    en: { meaning: 'Message relayed to a non-compliant mailer', cause: 'The message was passed to a system that does not support delivery notifications (RFC 3886).', fix: 'Nothing to fix; no further delivery reports will come.' },
    zh: { meaning: '邮件已中继到不兼容的邮件系统', cause: '邮件被转交给不支持投递通知的系统（RFC 3886）。', fix: '无需处理；此后不会再有投递报告。' },
  },
  '1.10': {
    en: { meaning: 'Recipient address has null MX', cause: 'The recipient\'s domain publishes a null MX: it receives no mail (RFC 7505).', fix: 'Check the address; this domain cannot be written to.' },
    zh: { meaning: '收件人地址的域名为空 MX', cause: '收件人域名发布了空 MX 记录，表示不接收邮件（RFC 7505）。', fix: '核对地址；该域名无法接收邮件。' },
  },
  '2.0': {
    en: { meaning: 'Other or undefined mailbox status', cause: 'A mailbox problem the server does not classify further.', fix: 'Read the reply text; the recipient\'s administrator can check the mailbox.' },
    zh: { meaning: '其他或未定义的邮箱状态', cause: '服务器未进一步分类的邮箱问题。', fix: '阅读应答文字；收件人管理员可检查该邮箱。' },
  },
  '2.1': {
    en: { meaning: 'Mailbox disabled, not accepting messages', cause: 'The recipient\'s account exists but is disabled, suspended or inactive.', fix: 'Contact the recipient by other means; their administrator must re-enable the account.' },
    zh: { meaning: '邮箱已停用，不接收邮件', cause: '收件人账户存在，但已被停用、冻结或长期未使用。', fix: '通过其他方式联系收件人；需其管理员重新启用账户。' },
  },
  '2.2': {
    en: { meaning: 'Mailbox full', cause: 'The recipient\'s mailbox is over its quota.', fix: 'The recipient deletes mail or the administrator raises the quota; resend afterwards.' },
    zh: { meaning: '邮箱已满', cause: '收件人邮箱超出配额。', fix: '收件人删除邮件或管理员提高配额后再重发。' },
  },
  '2.3': {
    en: { meaning: 'Message length exceeds administrative limit', cause: 'The message is larger than this mailbox or site allows.', fix: 'Send a smaller message; share large files by link.' },
    zh: { meaning: '邮件长度超过管理限制', cause: '邮件大于该邮箱或站点允许的大小。', fix: '减小邮件；大文件改用链接分享。' },
  },
  '2.4': {
    en: { meaning: 'Mailing list expansion problem', cause: 'The recipient is a mailing list that could not be expanded.', fix: 'The list\'s owner must fix the list.' },
    zh: { meaning: '邮件列表展开出错', cause: '收件人是一个无法展开的邮件列表。', fix: '需由邮件列表管理员修复。' },
  },
  '3.0': {
    en: { meaning: 'Other or undefined mail system status', cause: 'The receiving system has a problem it does not classify further.', fix: 'Retry later; the receiving administrator checks the logs.' },
    zh: { meaning: '其他或未定义的邮件系统状态', cause: '接收方系统存在未进一步分类的问题。', fix: '稍后重试；由接收方管理员检查日志。' },
  },
  '3.1': {
    en: { meaning: 'Mail system full', cause: 'The receiving system is out of disk or queue space.', fix: 'Retry later; the receiving administrator frees space.' },
    zh: { meaning: '邮件系统已满', cause: '接收方系统磁盘或队列空间不足。', fix: '稍后重试；由接收方管理员释放空间。' },
  },
  '3.2': {
    en: { meaning: 'System not accepting network messages', cause: 'The server is shutting down or does not take mail from the network right now.', fix: 'Retry later.' },
    zh: { meaning: '系统不接收网络邮件', cause: '服务器正在关闭，或目前不从网络接收邮件。', fix: '稍后重试。' },
  },
  '3.3': {
    en: { meaning: 'System not capable of selected features', cause: 'The message needs a feature the receiving system lacks.', fix: 'Send without the feature (e.g. without SMTPUTF8, DSN options).' },
    zh: { meaning: '系统不支持所选功能', cause: '邮件需要接收方系统不具备的功能。', fix: '不使用该功能重新发送（如去掉 SMTPUTF8、DSN 选项）。' },
  },
  '3.4': {
    en: { meaning: 'Message too big for system', cause: 'The message is larger than the server\'s size limit (see SIZE in its EHLO reply).', fix: 'Send a smaller message or share large attachments by link; the receiving administrator may raise the limit.' },
    zh: { meaning: '邮件对系统而言过大', cause: '邮件超过服务器的大小上限（见其 EHLO 应答中的 SIZE）。', fix: '减小邮件或用链接分享大附件；接收方管理员可提高上限。' },
  },
  '3.5': {
    en: { meaning: 'System incorrectly configured', cause: 'A configuration error on the receiving system.', fix: 'The receiving administrator fixes the configuration.' },
    zh: { meaning: '系统配置错误', cause: '接收方系统存在配置错误。', fix: '由接收方管理员修正配置。' },
  },
  '3.6': {
    en: { meaning: 'Requested priority was changed', cause: 'The server changed the message\'s priority (RFC 6710).', fix: 'Nothing to fix.' },
    zh: { meaning: '请求的优先级已被更改', cause: '服务器更改了邮件的优先级（RFC 6710）。', fix: '无需处理。' },
  },
  '4.0': {
    en: { meaning: 'Other or undefined network or routing status', cause: 'A network or routing problem not classified further.', fix: 'Check DNS and connectivity; retry later.' },
    zh: { meaning: '其他或未定义的网络或路由状态', cause: '未进一步分类的网络或路由问题。', fix: '检查 DNS 和网络连通性；稍后重试。' },
  },
  '4.1': {
    en: { meaning: 'No answer from host', cause: 'The next mail server did not answer (down, or port 25 blocked).', fix: 'Check that the destination MX is up and reachable on port 25.' },
    zh: { meaning: '主机无应答', cause: '下一跳邮件服务器未响应（宕机，或 25 端口被封）。', fix: '确认目标 MX 在线且 25 端口可达。' },
  },
  '4.2': {
    en: { meaning: 'Bad connection', cause: 'The connection broke during the transaction; sent by a server, usually because it timed out waiting for the client or the link dropped.', fix: 'Check the network path (MTU, firewalls, NAT, resets) and what the client was doing before the drop; a mail server retries by itself.' },
    zh: { meaning: '连接异常', cause: '连接在事务中断开；由服务器发出时，通常是它等待客户端超时，或链路中断。', fix: '检查网络路径（MTU、防火墙、NAT、连接重置）以及中断前客户端在做什么；邮件服务器会自动重试。' },
  },
  '4.3': {
    en: { meaning: 'Directory server failure', cause: 'A DNS, LDAP or other lookup the server needs failed.', fix: 'Retry later; the administrator checks the DNS resolver or directory.' },
    zh: { meaning: '目录服务器故障', cause: '服务器依赖的 DNS、LDAP 或其他查询失败。', fix: '稍后重试；由管理员检查 DNS 解析器或目录服务。' },
  },
  '4.4': {
    en: { meaning: 'Unable to route', cause: 'No route to the destination: no MX or A record, or the domain does not exist.', fix: 'Check the recipient domain\'s DNS records.' },
    zh: { meaning: '无法路由', cause: '找不到到达目标的路由：没有 MX 或 A 记录，或域名不存在。', fix: '检查收件域名的 DNS 记录。' },
  },
  '4.5': {
    en: { meaning: 'Mail system congestion', cause: 'The receiving system is overloaded.', fix: 'Retry later; send more slowly.' },
    zh: { meaning: '邮件系统拥塞', cause: '接收方系统负载过高。', fix: '稍后重试；降低发送速度。' },
  },
  '4.6': {
    en: { meaning: 'Routing loop detected', cause: 'The message went round between servers (too many Received headers), often through MX or forwarding misconfiguration.', fix: 'Fix the MX records, relay host or forwarding rules that send mail back.' },
    zh: { meaning: '检测到路由环路', cause: '邮件在服务器之间循环（Received 头过多），多因 MX 或转发配置错误。', fix: '修正导致邮件回流的 MX 记录、中继主机或转发规则。' },
  },
  '4.7': {
    en: { meaning: 'Delivery time expired', cause: 'The message stayed in the queue past its lifetime without being delivered.', fix: 'Find why earlier attempts failed (the log has their replies).' },
    zh: { meaning: '投递超时', cause: '邮件在队列中超过有效期仍未投递成功。', fix: '查明之前投递失败的原因（日志中有对方应答）。' },
  },
  '5.0': {
    en: { meaning: 'Other or undefined protocol status', cause: 'An SMTP protocol problem not classified further.', fix: 'Look at the command that failed in the transcript.' },
    zh: { meaning: '其他或未定义的协议状态', cause: '未进一步分类的 SMTP 协议问题。', fix: '在会话记录中查看失败的命令。' },
  },
  '5.1': {
    en: { meaning: 'Invalid command', cause: 'The command is unknown or unsupported by this server, or not allowed at this point of the session; the reply text says which.', fix: 'Look at the command in the transcript: send only commands the server announces, in the order HELO/EHLO, MAIL, RCPT, DATA.' },
    zh: { meaning: '无效命令', cause: '该命令未知或此服务器不支持，或在会话的当前阶段不允许；具体是哪种见应答文字。', fix: '在会话记录中查看该命令：只发送服务器声明支持的命令，并按 HELO/EHLO、MAIL、RCPT、DATA 的顺序发送。' },
  },
  '5.2': {
    en: { meaning: 'Syntax error', cause: 'The command could not be parsed (or the line is too long).', fix: 'Fix the client; check for firewalls that alter SMTP.' },
    zh: { meaning: '语法错误', cause: '命令无法解析（或行过长）。', fix: '修正客户端；检查是否有防火墙改写 SMTP。' },
  },
  '5.3': {
    en: { meaning: 'Too many recipients', cause: 'The message has more recipients than the server accepts in one transaction.', fix: 'Split the recipients over several messages; a server retries the rest by itself after a 452.' },
    zh: { meaning: '收件人过多', cause: '一次事务中的收件人数量超过服务器上限。', fix: '将收件人拆分到多封邮件；收到 452 后服务器会自动重试其余收件人。' },
  },
  '5.4': {
    en: { meaning: 'Invalid command arguments', cause: 'The command\'s arguments are not valid.', fix: 'Correct the arguments the client sends.' },
    zh: { meaning: '命令参数无效', cause: '命令的参数无效。', fix: '修正客户端发送的参数。' },
  },
  '5.5': {
    en: { meaning: 'Wrong protocol version', cause: 'The two sides disagree on the protocol version.', fix: 'Upgrade or reconfigure the client.' },
    zh: { meaning: '协议版本错误', cause: '双方的协议版本不一致。', fix: '升级或重新配置客户端。' },
  },
  '5.6': {
    en: { meaning: 'Authentication exchange line is too long', cause: 'A SASL line is longer than the server accepts (RFC 4954).', fix: 'Send the initial response separately after the 334 challenge.' },
    zh: { meaning: '认证交互的行过长', cause: 'SASL 行超过服务器可接受的长度（RFC 4954）。', fix: '在收到 334 质询后再单独发送初始响应。' },
  },
  '6.0': {
    en: { meaning: 'Other or undefined media error', cause: 'A content problem not classified further: often a content filter.', fix: 'Read the reply text for what was refused.' },
    zh: { meaning: '其他或未定义的媒体错误', cause: '未进一步分类的内容问题，常见于内容过滤器。', fix: '根据应答文字了解被拒原因。' },
  },
  '6.1': {
    en: { meaning: 'Media not supported', cause: 'The message uses a content type or encoding the receiver does not accept.', fix: 'Send in a widely supported format.' },
    zh: { meaning: '不支持的媒体类型', cause: '邮件使用了接收方不接受的内容类型或编码。', fix: '改用通用格式发送。' },
  },
  '6.2': {
    en: { meaning: 'Conversion required and prohibited', cause: 'The content must be converted to be delivered, but conversion is not allowed.', fix: 'Send in a form the receiver accepts as is.' },
    zh: { meaning: '需要转换但被禁止', cause: '内容需转换才能投递，但不允许转换。', fix: '以接收方可直接接受的格式发送。' },
  },
  '6.3': {
    en: { meaning: 'Conversion required but not supported', cause: 'The content must be converted and the server cannot (e.g. 8-bit to a 7-bit-only host).', fix: 'Encode the message as 7-bit (quoted-printable or base64).' },
    zh: { meaning: '需要转换但不支持', cause: '内容需要转换而服务器无法完成（如 8 位内容发往仅支持 7 位的主机）。', fix: '将邮件编码为 7 位（quoted-printable 或 base64）。' },
  },
  '6.4': {
    en: { meaning: 'Conversion with loss performed', cause: 'The message was delivered after a conversion that lost information.', fix: 'Nothing to fix, unless fidelity matters.' },
    zh: { meaning: '已执行有损转换', cause: '邮件经有损转换后已投递。', fix: '通常无需处理，除非对内容完整性有要求。' },
  },
  '6.5': {
    en: { meaning: 'Conversion failed', cause: 'A needed conversion of the content failed.', fix: 'Send in a simpler format.' },
    zh: { meaning: '转换失败', cause: '所需的内容转换失败。', fix: '改用更简单的格式发送。' },
  },
  '6.6': {
    en: { meaning: 'Message content not available', cause: 'The server could not fetch the content a BURL command pointed to (RFC 4468).', fix: 'Check the URL and the access the submission server has to it.' },
    zh: { meaning: '邮件内容不可用', cause: '服务器无法获取 BURL 命令所指向的内容（RFC 4468）。', fix: '检查 URL 以及提交服务器对其的访问权限。' },
  },
  '6.7': {
    en: { meaning: 'Non-ASCII addresses not permitted', cause: 'An internationalised (UTF-8) address cannot be used for this sender or recipient (RFC 6531).', fix: 'Use an ASCII address, or a server path that supports SMTPUTF8.' },
    zh: { meaning: '不允许非 ASCII 地址', cause: '该发件人或收件人不能使用国际化（UTF-8）地址（RFC 6531）。', fix: '改用 ASCII 地址，或经由支持 SMTPUTF8 的服务器发送。' },
  },
  '6.8': {
    en: { meaning: 'UTF-8 reply required but not permitted by the client', cause: 'The server must answer in UTF-8 but the client did not ask for SMTPUTF8 (RFC 6531).', fix: 'Enable SMTPUTF8 in the client.' },
    zh: { meaning: '需要 UTF-8 应答但客户端不允许', cause: '服务器必须用 UTF-8 应答，但客户端未请求 SMTPUTF8（RFC 6531）。', fix: '在客户端启用 SMTPUTF8。' },
  },
  '6.9': {
    en: { meaning: 'UTF-8 header message cannot be transferred', cause: 'The message has UTF-8 headers and a server on the way lacks SMTPUTF8 (RFC 6531).', fix: 'Send with ASCII headers, or through servers that support SMTPUTF8.' },
    zh: { meaning: '含 UTF-8 头的邮件无法传送', cause: '邮件含 UTF-8 邮件头，而途经的服务器不支持 SMTPUTF8（RFC 6531）。', fix: '使用 ASCII 邮件头，或经由支持 SMTPUTF8 的服务器发送。' },
  },
  '6.10': {
    en: { meaning: 'UTF-8 reply required but not permitted by the client (deprecated duplicate of x.6.8)', cause: 'The server must answer in UTF-8 but the client did not ask for SMTPUTF8 (RFC 6531).', fix: 'Enable SMTPUTF8 in the client.' },
    zh: { meaning: '需要 UTF-8 应答但客户端不允许（已弃用，与 x.6.8 重复）', cause: '服务器必须用 UTF-8 应答，但客户端未请求 SMTPUTF8（RFC 6531）。', fix: '在客户端启用 SMTPUTF8。' },
  },
  '7.0': {
    en: { meaning: 'Other or undefined security status', cause: 'A security or policy refusal not classified further: authentication required, spam, reputation.', fix: 'Read the reply text for the rule that refused it.' },
    zh: { meaning: '其他或未定义的安全状态', cause: '未进一步分类的安全或策略拒绝：需要认证、垃圾邮件、信誉问题。', fix: '根据应答文字找出拒绝的规则。' },
  },
  '7.1': {
    en: { meaning: 'Delivery not authorized, message refused', cause: 'A policy refuses this sender, client or recipient: relaying without authentication, a blocklisted IP, a spam verdict, or an access rule.', fix: 'Authenticate before relaying; check the sending IP\'s reputation; read the text for the rule.' },
    zh: { meaning: '投递未获授权，邮件被拒', cause: '策略拒绝了该发件人、客户端或收件人：未认证中继、IP 在黑名单、被判为垃圾邮件，或访问规则。', fix: '中继前先认证；检查发送 IP 的信誉；根据应答文字找出具体规则。' },
  },
  '7.2': {
    en: { meaning: 'Mailing list expansion prohibited', cause: 'The sender may not write to this mailing list.', fix: 'Subscribe to the list or ask its owner for permission.' },
    zh: { meaning: '禁止展开邮件列表', cause: '发件人无权向该邮件列表发信。', fix: '订阅该列表或向列表管理员申请权限。' },
  },
  '7.3': {
    en: { meaning: 'Security conversion required but not possible', cause: 'The message would need a security conversion the server cannot do.', fix: 'Send without the security feature, or by another path.' },
    zh: { meaning: '需要安全转换但无法完成', cause: '邮件需要服务器无法完成的安全转换。', fix: '不使用该安全功能，或经其他路径发送。' },
  },
  '7.4': {
    en: { meaning: 'Security features not supported', cause: 'The message asks for a security feature the receiver lacks.', fix: 'Send without it.' },
    zh: { meaning: '不支持该安全功能', cause: '邮件要求接收方不具备的安全功能。', fix: '不使用该功能发送。' },
  },
  '7.5': {
    en: { meaning: 'Cryptographic failure', cause: 'A signature or decryption failed.', fix: 'Check the certificates and keys used.' },
    zh: { meaning: '加密处理失败', cause: '签名验证或解密失败。', fix: '检查所用的证书和密钥。' },
  },
  '7.6': {
    en: { meaning: 'Cryptographic algorithm not supported', cause: 'The receiver does not support the algorithm used.', fix: 'Use a common algorithm.' },
    zh: { meaning: '不支持该加密算法', cause: '接收方不支持所用的算法。', fix: '改用通用算法。' },
  },
  '7.7': {
    en: { meaning: 'Message integrity failure', cause: 'The message was altered in transit, or its checksum does not match.', fix: 'Find what modifies the message on the way.' },
    zh: { meaning: '邮件完整性校验失败', cause: '邮件在传输中被修改，或校验值不符。', fix: '查明途中修改邮件的环节。' },
  },
  '7.8': {
    en: { meaning: 'Authentication credentials invalid', cause: 'Wrong user name or password, or a locked or expired account (RFC 4954).', fix: 'Check the user name and password; use an app password or OAuth where the provider wants one.' },
    zh: { meaning: '认证凭据无效', cause: '用户名或密码错误，或账户被锁定、已过期（RFC 4954）。', fix: '核对用户名和密码；按服务商要求使用应用专用密码或 OAuth。' },
  },
  '7.9': {
    en: { meaning: 'Authentication mechanism is too weak', cause: 'In answer to AUTH: the server will not accept this mechanism (RFC 4954). Some providers (Yahoo, AOL) also send 5.7.9 after DATA for a message refused by policy, usually failed SPF/DKIM/DMARC.', fix: 'After AUTH: use a stronger mechanism, or TLS first. After DATA: check the message\'s sender authentication.' },
    zh: { meaning: '认证机制强度不足', cause: '作为 AUTH 的应答：服务器不接受该认证机制（RFC 4954）。部分服务商（Yahoo、AOL）也会在 DATA 之后用 5.7.9 表示邮件被策略拒收，通常是 SPF/DKIM/DMARC 未通过。', fix: 'AUTH 之后：改用更强的机制，或先启用 TLS。DATA 之后：检查邮件的发件人认证。' },
  },
  '7.10': {
    en: { meaning: 'Encryption needed', cause: 'The server requires encryption (TLS) for this (RFC 5248).', fix: 'Use STARTTLS or implicit TLS.' },
    zh: { meaning: '需要加密', cause: '服务器要求此操作使用加密（TLS）（RFC 5248）。', fix: '使用 STARTTLS 或隐式 TLS。' },
  },
  '7.11': {
    en: { meaning: 'Encryption required for requested authentication mechanism', cause: 'A plain-text mechanism was tried without TLS (RFC 4954).', fix: 'Issue STARTTLS before AUTH.' },
    zh: { meaning: '所请求的认证机制需要加密', cause: '在没有 TLS 的情况下尝试了明文认证机制（RFC 4954）。', fix: '在 AUTH 之前执行 STARTTLS。' },
  },
  '7.12': {
    en: { meaning: 'A password transition is needed', cause: 'The account must change its password before this mechanism works (RFC 4954).', fix: 'Change the password, or log in once with a plain mechanism over TLS.' },
    zh: { meaning: '需要进行密码过渡', cause: '账户需先更改密码，该机制才能使用（RFC 4954）。', fix: '修改密码，或通过 TLS 用明文机制登录一次。' },
  },
  '7.13': {
    en: { meaning: 'User account disabled', cause: 'The account is disabled (RFC 5248).', fix: 'The administrator re-enables the account.' },
    zh: { meaning: '用户账户已停用', cause: '账户已被停用（RFC 5248）。', fix: '由管理员重新启用账户。' },
  },
  '7.14': {
    en: { meaning: 'Trust relationship required', cause: 'The server needs a trust relationship with the client it does not have (RFC 5248).', fix: 'Set up the trust (certificate, agreement) the server expects.' },
    zh: { meaning: '需要信任关系', cause: '服务器要求与客户端建立尚不存在的信任关系（RFC 5248）。', fix: '建立服务器所需的信任（证书、协议）。' },
  },
  '7.15': {
    en: { meaning: 'Priority level is too low', cause: 'The message\'s priority is below what the server accepts now (RFC 6710).', fix: 'Retry later or with a higher priority.' },
    zh: { meaning: '优先级过低', cause: '邮件优先级低于服务器当前接受的级别（RFC 6710）。', fix: '稍后重试或提高优先级。' },
  },
  '7.16': {
    en: { meaning: 'Message is too big for the specified priority', cause: 'Large messages are not accepted at this priority (RFC 6710).', fix: 'Send smaller, or at a lower priority.' },
    zh: { meaning: '邮件对指定的优先级过大', cause: '该优先级不接受大邮件（RFC 6710）。', fix: '减小邮件，或降低优先级发送。' },
  },
  '7.17': {
    en: { meaning: 'Mailbox owner has changed', cause: 'The address now belongs to someone else (RRVS, RFC 7293).', fix: 'Confirm the recipient\'s current address.' },
    zh: { meaning: '邮箱所有者已变更', cause: '该地址现属于他人（RRVS，RFC 7293）。', fix: '确认收件人当前的地址。' },
  },
  '7.18': {
    en: { meaning: 'Domain owner has changed', cause: 'The domain now belongs to someone else (RRVS, RFC 7293).', fix: 'Confirm the recipient\'s current address.' },
    zh: { meaning: '域名所有者已变更', cause: '该域名现属于他人（RRVS，RFC 7293）。', fix: '确认收件人当前的地址。' },
  },
  '7.19': {
    en: { meaning: 'RRVS test cannot be completed', cause: 'The server cannot check the mailbox\'s registration date (RFC 7293).', fix: 'Send without RRVS, or retry.' },
    zh: { meaning: '无法完成 RRVS 检查', cause: '服务器无法检查邮箱的注册时间（RFC 7293）。', fix: '不带 RRVS 发送，或重试。' },
  },
  '7.20': {
    en: { meaning: 'No passing DKIM signature found', cause: 'The message has no DKIM signature that verifies (RFC 7372).', fix: 'Sign outgoing mail with DKIM and publish the key in DNS; check nothing alters the message after signing.' },
    zh: { meaning: '未找到通过验证的 DKIM 签名', cause: '邮件没有能通过验证的 DKIM 签名（RFC 7372）。', fix: '对外发邮件进行 DKIM 签名并在 DNS 发布公钥；确认签名后邮件未被修改。' },
  },
  '7.21': {
    en: { meaning: 'No acceptable DKIM signature found', cause: 'A DKIM signature verifies but does not meet the receiver\'s requirements (RFC 7372).', fix: 'Sign with an accepted algorithm, key size and headers.' },
    zh: { meaning: '未找到可接受的 DKIM 签名', cause: 'DKIM 签名能通过验证，但不符合接收方要求（RFC 7372）。', fix: '使用接收方接受的算法、密钥长度和签名头字段。' },
  },
  '7.22': {
    en: { meaning: 'No valid author-matched DKIM signature found', cause: 'No valid DKIM signature is for the domain in the From header (RFC 7372).', fix: 'Sign with the From domain (aligned DKIM).' },
    zh: { meaning: '未找到与作者域名匹配的有效 DKIM 签名', cause: '没有针对 From 头域名的有效 DKIM 签名（RFC 7372）。', fix: '使用 From 域名进行签名（DKIM 对齐）。' },
  },
  '7.23': {
    en: { meaning: 'SPF validation failed', cause: 'The sending IP is not allowed by the SPF record of the sender\'s domain (RFC 7372).', fix: 'Add the sending server\'s IP or include to the domain\'s SPF record, or send through an allowed server.' },
    zh: { meaning: 'SPF 验证失败', cause: '发送 IP 不在发件域名的 SPF 记录允许范围内（RFC 7372）。', fix: '将发送服务器的 IP 或 include 加入域名的 SPF 记录，或通过已授权的服务器发送。' },
  },
  '7.24': {
    en: { meaning: 'SPF validation error', cause: 'The SPF check could not be completed: a DNS error or a broken SPF record (RFC 7372).', fix: 'Fix the SPF record (syntax, fewer than 10 DNS lookups) and the DNS servers.' },
    zh: { meaning: 'SPF 验证出错', cause: '无法完成 SPF 检查：DNS 错误或 SPF 记录有误（RFC 7372）。', fix: '修正 SPF 记录（语法、DNS 查询不超过 10 次）及 DNS 服务器。' },
  },
  '7.25': {
    en: { meaning: 'Reverse DNS validation failed', cause: 'The sending IP has no PTR record, or the PTR name does not resolve back to the IP (RFC 7372).', fix: 'Ask the IP\'s owner (ISP, hosting provider) for a PTR record whose name resolves back to the IP.' },
    zh: { meaning: '反向 DNS 验证失败', cause: '发送 IP 没有 PTR 记录，或 PTR 名称不能正向解析回该 IP（RFC 7372）。', fix: '请 IP 所有者（运营商、托管商）设置 PTR 记录，并确保该名称能解析回此 IP。' },
  },
  '7.26': {
    en: { meaning: 'Multiple authentication checks failed', cause: 'The message failed several sender authentication checks (SPF, DKIM, DMARC) (RFC 7372).', fix: 'Publish SPF, sign with DKIM, align both with the From domain, and check the DMARC policy.' },
    zh: { meaning: '多项认证检查失败', cause: '邮件未通过多项发件人认证检查（SPF、DKIM、DMARC）（RFC 7372）。', fix: '发布 SPF、进行 DKIM 签名，并使两者与 From 域名对齐；检查 DMARC 策略。' },
  },
  '7.27': {
    en: { meaning: 'Sender address has null MX', cause: 'The sender\'s domain publishes a null MX, so replies could never reach it (RFC 7505). Gmail also uses 5.7.27 for bulk mail whose SPF check did not pass.', fix: 'Send from a domain that can receive mail; for Gmail\'s use, make SPF pass for the sending IP.' },
    zh: { meaning: '发件人地址的域名为空 MX', cause: '发件域名发布了空 MX 记录，回信无法送达（RFC 7505）。Gmail 也用 5.7.27 表示批量邮件未通过 SPF 检查。', fix: '使用能接收邮件的域名作为发件地址；若是 Gmail 的用法，让发送 IP 通过 SPF 检查。' },
  },
  '7.28': {
    en: { meaning: 'Mail flood detected', cause: 'The server sees an unusual volume of similar mail from this source.', fix: 'Slow down; check for a compromised account or a runaway script.' },
    zh: { meaning: '检测到邮件洪泛', cause: '服务器发现来自该来源的相似邮件数量异常。', fix: '降低发送量；检查是否有账户被盗或脚本失控。' },
  },
  '7.29': {
    en: { meaning: 'ARC validation failure', cause: 'The message\'s ARC chain did not validate (RFC 8617).', fix: 'Check the intermediaries (forwarders, lists) that add ARC headers.' },
    zh: { meaning: 'ARC 验证失败', cause: '邮件的 ARC 链未通过验证（RFC 8617）。', fix: '检查添加 ARC 头的中间环节（转发器、邮件列表）。' },
  },
  '7.30': {
    en: { meaning: 'REQUIRETLS support required', cause: 'The message must travel over TLS only and the next hop does not offer REQUIRETLS (RFC 8689).', fix: 'Deliver through servers that support REQUIRETLS, or send without it.' },
    zh: { meaning: '需要支持 REQUIRETLS', cause: '邮件要求全程使用 TLS，而下一跳不支持 REQUIRETLS（RFC 8689）。', fix: '经由支持 REQUIRETLS 的服务器投递，或不带该要求发送。' },
  },
};

/** POP3 response codes in brackets after +OK / -ERR (RFC 2449 section 8, RFC 3206, RFC 6856; RFC 5034 uses them with AUTH). */
export const POP3_CODES: Record<string, Entry> = {
  'IN-USE': {
    en: { meaning: 'Mailbox in use', cause: 'Another session holds the mailbox lock: a second mail client, a phone, or a session that did not end cleanly (RFC 2449). After PASS the credentials were accepted: this is not a failed login.', fix: 'Close the other clients or wait for the stale lock to expire, then retry; do not change the password.' },
    zh: { meaning: '邮箱正在使用中', cause: '另一个会话持有邮箱锁：另一个邮件客户端、手机，或未正常结束的会话（RFC 2449）。在 PASS 之后出现时凭据已被接受，并非登录失败。', fix: '关闭其他客户端或等待残留锁过期后重试；无需修改密码。' },
  },
  'LOGIN-DELAY': {
    en: { meaning: 'Logging in too soon', cause: 'The server allows a login only every so many seconds (see LOGIN-DELAY in CAPA) (RFC 2449).', fix: 'Lower the client\'s check frequency to the advertised delay.' },
    zh: { meaning: '登录过于频繁', cause: '服务器限制了两次登录之间的最短间隔（见 CAPA 中的 LOGIN-DELAY）（RFC 2449）。', fix: '将客户端收信频率调低到服务器声明的间隔以上。' },
  },
  'SYS/TEMP': {
    en: { meaning: 'Temporary system failure', cause: 'A server-side problem unrelated to the credentials: storage, a backend, load (RFC 3206).', fix: 'Retry later; the server administrator checks the logs.' },
    zh: { meaning: '临时系统故障', cause: '与凭据无关的服务器端问题：存储、后端服务、负载（RFC 3206）。', fix: '稍后重试；由服务器管理员检查日志。' },
  },
  'SYS/PERM': {
    en: { meaning: 'Permanent system failure', cause: 'A server-side problem that retrying will not fix: a broken mailbox or account configuration (RFC 3206).', fix: 'Contact the server administrator.' },
    zh: { meaning: '永久系统故障', cause: '重试无法解决的服务器端问题：邮箱或账户配置损坏（RFC 3206）。', fix: '联系服务器管理员。' },
  },
  'SYS': {
    en: { meaning: 'System failure', cause: 'A server-side problem unrelated to the credentials (RFC 3206).', fix: 'Retry later, then contact the server administrator.' },
    zh: { meaning: '系统故障', cause: '与凭据无关的服务器端问题（RFC 3206）。', fix: '稍后重试，仍不行则联系服务器管理员。' },
  },
  'AUTH': {
    en: { meaning: 'Authentication failed', cause: 'The credentials were refused: wrong user name or password, or a locked account (RFC 3206).', fix: 'Check the user name and password; check the account is not locked or expired.' },
    zh: { meaning: '认证失败', cause: '凭据被拒绝：用户名或密码错误，或账户被锁定（RFC 3206）。', fix: '核对用户名和密码；确认账户未被锁定或过期。' },
  },
  'UTF8': {
    en: { meaning: 'UTF-8 mode required', cause: 'The mailbox holds internationalised mail the client must read in UTF-8 mode (RFC 6856).', fix: 'Enable UTF8 in the client (the UTF8 command) or use a client that supports it.' },
    zh: { meaning: '需要 UTF-8 模式', cause: '邮箱中有国际化邮件，客户端需在 UTF-8 模式下读取（RFC 6856）。', fix: '在客户端启用 UTF8（UTF8 命令），或换用支持该功能的客户端。' },
  },
};

/** POP3 and IMAP statuses without a response code, keyed "pop3 -ERR", "imap NO", ... */
export const STATUSES: Record<string, Entry> = {
  'pop3 -ERR': {
    en: { meaning: 'POP3 command failed', cause: 'The server refused the command; without a response code only the text says why.', fix: 'Read the reply text; check the command in the transcript.' },
    zh: { meaning: 'POP3 命令失败', cause: '服务器拒绝了该命令；没有响应码时只能从文字判断原因。', fix: '阅读应答文字；在会话记录中检查该命令。' },
  },
  'imap NO': {
    en: { meaning: 'IMAP command failed', cause: 'The command was understood but could not be carried out.', fix: 'Read the response code and text for the reason.' },
    zh: { meaning: 'IMAP 命令执行失败', cause: '命令能被识别，但无法执行。', fix: '根据响应码和文字判断原因。' },
  },
  'imap BAD': {
    en: { meaning: 'IMAP command not understood', cause: 'A syntax error, an unknown command, or a command not allowed in this state (e.g. SELECT before login).', fix: 'Check the command in the transcript; fix or upgrade the client.' },
    zh: { meaning: 'IMAP 命令无法识别', cause: '语法错误、未知命令，或当前状态下不允许的命令（如登录前执行 SELECT）。', fix: '在会话记录中检查该命令；修正或升级客户端。' },
  },
  'imap BYE': {
    en: { meaning: 'IMAP server closing the connection', cause: 'The server ends the session: logout, idle timeout, shutdown, or too many errors.', fix: 'If unexpected, read the text; reconnect.' },
    zh: { meaning: 'IMAP 服务器关闭连接', cause: '服务器结束会话：注销、空闲超时、服务关闭或错误过多。', fix: '若非预期，请阅读应答文字；重新连接。' },
  },
};

/** IMAP response codes (RFC 9051 section 7.1, RFC 5530, and extensions). */
export const IMAP_CODES: Record<string, Entry> = {
  'ALERT': {
    en: { meaning: 'Alert for the user', cause: 'The server has a message the user must see (RFC 9051).', fix: 'Read the text: it is meant for the person.' },
    zh: { meaning: '给用户的警告', cause: '服务器有必须让用户看到的消息（RFC 9051）。', fix: '阅读应答文字，它是写给用户的。' },
  },
  'AUTHENTICATIONFAILED': {
    en: { meaning: 'Authentication failed', cause: 'Wrong user name or password, or the account is unknown; the server does not say which (RFC 5530).', fix: 'Check the user name and password; use an app password or OAuth where the provider wants one.' },
    zh: { meaning: '认证失败', cause: '用户名或密码错误，或账户不存在；服务器不会说明是哪一种（RFC 5530）。', fix: '核对用户名和密码；按服务商要求使用应用专用密码或 OAuth。' },
  },
  'AUTHORIZATIONFAILED': {
    en: { meaning: 'Authorization failed', cause: 'The credentials are right but may not act as the requested user (RFC 5530).', fix: 'Log in as the user itself, or grant the proxy rights.' },
    zh: { meaning: '授权失败', cause: '凭据正确，但无权以所请求的用户身份操作（RFC 5530）。', fix: '以该用户本人身份登录，或授予代理权限。' },
  },
  'UNAVAILABLE': {
    en: { meaning: 'Service temporarily unavailable', cause: 'A backend the server needs is down (RFC 5530): after LOGIN or AUTHENTICATE the authentication backend (the password was not judged wrong), otherwise storage or a proxy target.', fix: 'Retry later without changing the password; the administrator checks the backend.' },
    zh: { meaning: '服务暂时不可用', cause: '服务器依赖的后端不可用（RFC 5530）：在 LOGIN 或 AUTHENTICATE 之后是认证后端（并非判定密码错误），其他情况下是存储或代理的目标服务器。', fix: '稍后重试，无需修改密码；由管理员检查后端服务。' },
  },
  'EXPIRED': {
    en: { meaning: 'Credentials expired', cause: 'The password or account has expired (RFC 5530).', fix: 'Renew the password or account.' },
    zh: { meaning: '凭据已过期', cause: '密码或账户已过期（RFC 5530）。', fix: '更新密码或续期账户。' },
  },
  'PRIVACYREQUIRED': {
    en: { meaning: 'Encryption required', cause: 'The operation is refused on an unencrypted connection (RFC 5530).', fix: 'Use STARTTLS or port 993 (IMAPS).' },
    zh: { meaning: '需要加密连接', cause: '在未加密的连接上拒绝该操作（RFC 5530）。', fix: '使用 STARTTLS 或 993 端口（IMAPS）。' },
  },
  'CONTACTADMIN': {
    en: { meaning: 'Contact the administrator', cause: 'The account needs attention from an administrator (RFC 5530).', fix: 'Contact the server\'s administrator or help desk.' },
    zh: { meaning: '请联系管理员', cause: '账户需要管理员处理（RFC 5530）。', fix: '联系服务器管理员或技术支持。' },
  },
  'NOPERM': {
    en: { meaning: 'No permission', cause: 'The user lacks the access rights (ACL) for this mailbox or operation (RFC 5530).', fix: 'Ask the mailbox owner to grant the rights.' },
    zh: { meaning: '没有权限', cause: '用户缺少该邮箱或操作的访问权限（ACL）（RFC 5530）。', fix: '请邮箱所有者授予相应权限。' },
  },
  'INUSE': {
    en: { meaning: 'Mailbox in use', cause: 'Another session holds a lock the operation needs (RFC 5530).', fix: 'Retry later; close other clients.' },
    zh: { meaning: '邮箱正在使用中', cause: '另一个会话持有该操作所需的锁（RFC 5530）。', fix: '稍后重试；关闭其他客户端。' },
  },
  'EXPUNGEISSUED': {
    en: { meaning: 'Messages were expunged meanwhile', cause: 'Another session removed messages this command refers to (RFC 5530).', fix: 'Resynchronise the mailbox (NOOP) and retry.' },
    zh: { meaning: '期间有邮件被删除', cause: '另一个会话删除了该命令涉及的邮件（RFC 5530）。', fix: '重新同步邮箱（NOOP）后重试。' },
  },
  'CORRUPTION': {
    en: { meaning: 'Server data corrupted', cause: 'The server found corrupted mailbox data (RFC 5530).', fix: 'The administrator repairs the mailbox (e.g. doveadm force-resync).' },
    zh: { meaning: '服务器数据损坏', cause: '服务器发现邮箱数据已损坏（RFC 5530）。', fix: '由管理员修复邮箱（例如 doveadm force-resync）。' },
  },
  'SERVERBUG': {
    en: { meaning: 'Server bug', cause: 'The server hit an internal error (RFC 5530).', fix: 'The administrator checks the server logs.' },
    zh: { meaning: '服务器内部错误', cause: '服务器遇到内部错误（RFC 5530）。', fix: '由管理员检查服务器日志。' },
  },
  'CLIENTBUG': {
    en: { meaning: 'Client bug', cause: 'The server thinks the client sent something wrong but harmless (RFC 5530).', fix: 'Update or report the client.' },
    zh: { meaning: '客户端错误', cause: '服务器认为客户端发送了错误（但无害）的内容（RFC 5530）。', fix: '升级客户端或向其开发者报告。' },
  },
  'CANNOT': {
    en: { meaning: 'Operation can never succeed', cause: 'The server cannot do this at all (e.g. a mailbox name it does not allow) (RFC 5530).', fix: 'Change the request; do not retry it unchanged.' },
    zh: { meaning: '操作永远无法成功', cause: '服务器完全无法执行该操作（例如不允许的邮箱名）（RFC 5530）。', fix: '修改请求，不要原样重试。' },
  },
  'LIMIT': {
    en: { meaning: 'Limit reached', cause: 'A server limit was hit: too many mailboxes, connections or flags (RFC 5530).', fix: 'Stay under the limit (close other connections, remove mailboxes).' },
    zh: { meaning: '达到限制', cause: '触及服务器的某项上限：邮箱、连接或标记过多（RFC 5530）。', fix: '控制在上限以内（关闭其他连接、删除邮箱）。' },
  },
  'OVERQUOTA': {
    en: { meaning: 'Over quota', cause: 'The user\'s storage quota is full (RFC 5530).', fix: 'Delete or archive mail, or have the quota raised.' },
    zh: { meaning: '超出配额', cause: '用户的存储配额已满（RFC 5530）。', fix: '删除或归档邮件，或申请提高配额。' },
  },
  'ALREADYEXISTS': {
    en: { meaning: 'Already exists', cause: 'A mailbox with that name exists (RFC 5530).', fix: 'Use another name, or the existing mailbox.' },
    zh: { meaning: '已存在', cause: '同名邮箱已存在（RFC 5530）。', fix: '换一个名称，或使用现有邮箱。' },
  },
  'NONEXISTENT': {
    en: { meaning: 'Does not exist', cause: 'The mailbox named does not exist (RFC 5530).', fix: 'Check the mailbox name (LIST shows them).' },
    zh: { meaning: '不存在', cause: '指定的邮箱不存在（RFC 5530）。', fix: '检查邮箱名（可用 LIST 查看）。' },
  },
  'TRYCREATE': {
    en: { meaning: 'Target mailbox does not exist; create it first', cause: 'APPEND or COPY to a mailbox that is not there (RFC 9051).', fix: 'CREATE the mailbox, then retry (clients do this by themselves).' },
    zh: { meaning: '目标邮箱不存在，请先创建', cause: '对不存在的邮箱执行了 APPEND 或 COPY（RFC 9051）。', fix: '先 CREATE 该邮箱再重试（客户端通常会自动处理）。' },
  },
  'BADCHARSET': {
    en: { meaning: 'Charset not supported', cause: 'SEARCH used a charset the server does not support (RFC 9051).', fix: 'Search in UTF-8 or a charset the code lists.' },
    zh: { meaning: '不支持该字符集', cause: 'SEARCH 使用了服务器不支持的字符集（RFC 9051）。', fix: '改用 UTF-8 或响应码中列出的字符集搜索。' },
  },
  'PARSE': {
    en: { meaning: 'Message could not be parsed', cause: 'The server could not parse a message\'s header or MIME structure (RFC 9051).', fix: 'Usually harmless; the message itself is malformed.' },
    zh: { meaning: '邮件无法解析', cause: '服务器无法解析某封邮件的头部或 MIME 结构（RFC 9051）。', fix: '通常无害，问题在邮件本身格式不规范。' },
  },
  'READ-ONLY': {
    en: { meaning: 'Mailbox opened read-only', cause: 'The mailbox was selected without write access (EXAMINE, or no rights) (RFC 9051).', fix: 'Use SELECT, or get write rights, to change it.' },
    zh: { meaning: '邮箱以只读方式打开', cause: '邮箱以无写权限的方式选中（EXAMINE 或无权限）（RFC 9051）。', fix: '使用 SELECT 或获取写权限后再修改。' },
  },
  'READ-WRITE': {
    en: { meaning: 'Mailbox opened read-write', cause: 'Normal answer to SELECT (RFC 9051).', fix: 'Nothing to fix.' },
    zh: { meaning: '邮箱以读写方式打开', cause: 'SELECT 的正常应答（RFC 9051）。', fix: '无需处理。' },
  },
  'UIDNOTSTICKY': {
    en: { meaning: 'UIDs are not persistent in this mailbox', cause: 'The server cannot keep message UIDs across sessions here (RFC 4315).', fix: 'Nothing to fix; clients re-download after a reconnect.' },
    zh: { meaning: '此邮箱的 UID 不持久', cause: '服务器无法在会话之间保持该邮箱的邮件 UID（RFC 4315）。', fix: '无需处理；客户端重连后会重新下载。' },
  },
  'HASCHILDREN': {
    en: { meaning: 'Mailbox has child mailboxes', cause: 'The mailbox cannot be deleted or renamed while it has children (RFC 9051).', fix: 'Delete or move the child mailboxes first.' },
    zh: { meaning: '邮箱包含子邮箱', cause: '邮箱含有子邮箱时不能删除或重命名（RFC 9051）。', fix: '先删除或移走子邮箱。' },
  },
  'CLOSED': {
    en: { meaning: 'Previous mailbox closed', cause: 'A new SELECT closed the mailbox that was open (RFC 9051).', fix: 'Nothing to fix.' },
    zh: { meaning: '之前的邮箱已关闭', cause: '新的 SELECT 关闭了此前打开的邮箱（RFC 9051）。', fix: '无需处理。' },
  },
  'UNKNOWN-CTE': {
    en: { meaning: 'Unknown content transfer encoding', cause: 'The server cannot decode a message part\'s encoding for BINARY (RFC 9051).', fix: 'Fetch the part without decoding.' },
    zh: { meaning: '未知的内容传输编码', cause: '服务器无法为 BINARY 解码邮件部分的编码（RFC 9051）。', fix: '不解码直接获取该部分。' },
  },
  'TOOBIG': {
    en: { meaning: 'Too big', cause: 'The message or result is larger than the server accepts (RFC 4469).', fix: 'Use a smaller message.' },
    zh: { meaning: '过大', cause: '邮件或结果超过服务器的上限（RFC 4469）。', fix: '使用更小的邮件。' },
  },
  'NOTSAVED': {
    en: { meaning: 'Search result not saved', cause: 'The SEARCH result could not be kept for later use (RFC 5182).', fix: 'Repeat the search when needed.' },
    zh: { meaning: '搜索结果未保存', cause: 'SEARCH 结果无法保留以供后续使用（RFC 5182）。', fix: '需要时重新搜索。' },
  },
  'BADURL': {
    en: { meaning: 'Bad IMAP URL', cause: 'A URL in CATENATE or URLAUTH could not be resolved (RFC 4469).', fix: 'Check the URL and the rights to it.' },
    zh: { meaning: 'IMAP URL 错误', cause: 'CATENATE 或 URLAUTH 中的 URL 无法解析（RFC 4469）。', fix: '检查该 URL 及其访问权限。' },
  },
  'COMPRESSIONACTIVE': {
    en: { meaning: 'Compression already active', cause: 'COMPRESS was asked for twice, or a layer already compresses (RFC 4978).', fix: 'Nothing to fix; do not ask again.' },
    zh: { meaning: '压缩已启用', cause: '重复请求了 COMPRESS，或已有其他层在压缩（RFC 4978）。', fix: '无需处理，不要重复请求。' },
  },
  'CAPABILITY': {
    en: { meaning: 'Capability list', cause: 'The server lists what it supports (RFC 9051).', fix: 'Nothing to fix.' },
    zh: { meaning: '能力列表', cause: '服务器列出其支持的功能（RFC 9051）。', fix: '无需处理。' },
  },
};

/**
 * Real-world reply texts, most specific first: the first pattern that matches
 * explains the reply. Each regex is tried on the reply's lines as sent (code
 * included) and on its text flattened to one line. The tests in
 * test/explain/patterns.test.ts hold the real replies each one is meant for.
 */
export const PATTERNS: readonly PatternEntry[] = [
  {
    id: 'too-many-auth-failures',
    match: [/too many (invalid |failed |bad )?(authentication|auth|login)s?( attempts| failures| errors)?/i, /too many invalid (IMAP |POP3 )?commands/i, /too many errors/i],
    en: { meaning: 'Too many failed logins or errors', cause: 'The client failed authentication or sent bad commands too often on this connection or from this address; the server cut it off (often protection against password guessing).', fix: 'Fix the stored password or the client first; then wait for the block to lapse. If nobody you know is behind it, this is password guessing: block the source.' },
    zh: { meaning: '登录失败或错误次数过多', cause: '客户端在该连接或该地址上认证失败或发送错误命令的次数过多，服务器将其断开（常用于防御密码猜测）。', fix: '先修正客户端保存的密码或客户端本身，再等待封锁解除。若来源不明，这是密码猜测攻击：应封禁该来源。' },
  },
  {
    id: 'auth-temporary',
    match: [/Temporary authentication failure/i, /authentication (service|server|backend|system) (is )?(temporarily )?(unavailable|down|not available)/i, /temporary (auth|login) (failure|error)/i],
    byCode: { codes: ['UNAVAILABLE', 'SYS/TEMP'], commands: ['LOGIN', 'AUTHENTICATE', 'PASS', 'APOP', 'AUTH', 'USER'] },
    en: { meaning: 'Login could not be checked now (server-side authentication problem)', cause: 'The server could not reach what checks passwords (its user database, LDAP, SQL or an authentication service), or failed while doing so. The password was not judged wrong.', fix: 'Do not change the password: retry in a few minutes. The server administrator checks the authentication backend and the mail log (Dovecot: errors of the auth process; Postfix: the SASL service it uses).' },
    zh: { meaning: '暂时无法验证登录（服务器端认证故障）', cause: '服务器无法连接负责校验密码的组件（用户数据库、LDAP、SQL 或认证服务），或在校验时出错；并不是判定密码错误。', fix: '不要修改密码，几分钟后重试。由服务器管理员检查认证后端和邮件日志（Dovecot：auth 进程的错误；Postfix：其使用的 SASL 服务）。' },
  },
  {
    id: 'basic-auth-disabled',
    protocols: ['smtp'],
    match: [/SmtpClientAuthentication is disabled/i, /basic auth(entication)? (is )?(disabled|blocked|not supported)/i],
    en: { meaning: 'Password login (SMTP AUTH) switched off by the provider', cause: 'The mail provider (e.g. Microsoft 365) has disabled basic SMTP authentication for the tenant or the mailbox.', fix: 'Enable authenticated SMTP for this mailbox in the provider\'s admin centre, or move the client to OAuth 2.0.' },
    zh: { meaning: '服务商已关闭密码登录（SMTP AUTH）', cause: '邮件服务商（如 Microsoft 365）为该租户或邮箱禁用了基本 SMTP 认证。', fix: '在服务商管理中心为该邮箱启用“经过身份验证的 SMTP”，或让客户端改用 OAuth 2.0。' },
  },
  {
    id: 'app-password-required',
    protocols: ['smtp', 'imap', 'pop3'],
    match: [/Application-specific password required/i, /log ?in via your web browser/i, /web login required/i],
    en: { meaning: 'App password or browser sign-in required', cause: 'The account has two-step verification or the provider distrusts this sign-in; the normal password is not accepted from mail clients.', fix: 'Create an app password (or use OAuth) for the mail client; sign in once through the web and confirm the attempt.' },
    zh: { meaning: '需要应用专用密码或浏览器登录', cause: '账户开启了两步验证，或服务商不信任此次登录；邮件客户端不能使用普通密码。', fix: '为邮件客户端生成应用专用密码（或使用 OAuth）；先通过网页登录一次并确认此次登录。' },
  },
  {
    id: 'login-disabled-until-tls',
    protocols: ['imap', 'pop3'],
    match: [/\[PRIVACYREQUIRED\]/i, /LOGINDISABLED/, /plaintext auth(entication)? (is )?(disallowed|disabled|not allowed)/i, /cleartext (logins?|auth\w*) (are |is )?(not allowed|disabled|disallowed)/i, /login only available under a layer/i],
    en: { meaning: 'Login refused until the connection is encrypted', cause: 'The server allows passwords only over TLS, and the client tried to log in on a clear-text connection.', fix: 'Set the client to use STARTTLS/STLS (ports 143/110) or implicit TLS (993/995) before logging in.' },
    zh: { meaning: '连接加密前拒绝登录', cause: '服务器只允许在 TLS 连接上传送密码，而客户端在明文连接上尝试登录。', fix: '将客户端设置为登录前使用 STARTTLS/STLS（143/110 端口）或隐式 TLS（993/995 端口）。' },
  },
  {
    id: 'tls-unavailable',
    protocols: ['smtp'],
    match: [/TLS not available/i, /STARTTLS (is )?(not available|unavailable|temporarily)/i],
    en: { meaning: 'The server cannot start TLS', cause: 'STARTTLS is announced but the server cannot use it: a missing or unreadable certificate or key, or a TLS library problem.', fix: 'The server administrator checks the certificate and key files and permissions (Postfix smtpd_tls_cert_file, smtpd_tls_key_file) and the mail log.' },
    zh: { meaning: '服务器无法启动 TLS', cause: '服务器声明了 STARTTLS 却无法使用：证书或私钥缺失、不可读，或 TLS 库出错。', fix: '由服务器管理员检查证书和私钥文件及其权限（Postfix 的 smtpd_tls_cert_file、smtpd_tls_key_file）以及邮件日志。' },
  },
  {
    id: 'starttls-required',
    protocols: ['smtp'],
    match: [/must issue a STARTTLS command first/i, /(STARTTLS|TLS|SSL|encryption) (is )?required/i, /(please )?use STARTTLS/i, /\b[45]\.7\.1[01]\b/],
    en: { meaning: 'STARTTLS (encryption) required first', cause: 'The server refuses this command (AUTH, MAIL) on an unencrypted connection.', fix: 'Enable STARTTLS in the client (or use implicit TLS on port 465) and make sure nothing strips STARTTLS from the EHLO reply.' },
    zh: { meaning: '必须先执行 STARTTLS（加密）', cause: '服务器拒绝在未加密的连接上执行该命令（AUTH、MAIL）。', fix: '在客户端启用 STARTTLS（或在 465 端口使用隐式 TLS），并确认没有设备从 EHLO 应答中剥离 STARTTLS。' },
  },
  {
    id: 'auth-not-offered',
    protocols: ['smtp'],
    match: [/authentication not enabled/i, /Unrecognized authentication type/i, /AUTH (command )?not (available|supported|allowed)/i, /AUTH command used when not advertised/i],
    en: { meaning: 'Authentication not offered here', cause: 'The server does not offer AUTH (or this mechanism) on this connection: often only after STARTTLS, or only on the submission port 587.', fix: 'Use port 587 with STARTTLS, then a mechanism listed in the EHLO reply.' },
    zh: { meaning: '此处不提供认证', cause: '服务器在该连接上不提供 AUTH（或该机制）：通常只在 STARTTLS 之后或 587 提交端口上提供。', fix: '使用 587 端口并先执行 STARTTLS，再选用 EHLO 应答中列出的机制。' },
  },
  {
    id: 'mailbox-in-use',
    protocols: ['pop3', 'imap'],
    match: [/\[IN-?USE\]/i, /\[INUSE\]/i, /maildrop lock/i, /mailbox (is )?(locked|in use|busy)/i, /unable to lock/i],
    en: { meaning: 'Mailbox locked by another session', cause: 'The user name and password were accepted, but another client (a second PC, a phone, a webmail or mail checker) or a session that did not close cleanly still holds the mailbox lock. Not a failed login.', fix: 'Do not change the password. Close the other clients or lengthen their check interval (or switch them to IMAP); wait a few minutes for a stale lock to expire; the administrator can remove a stale lock.' },
    zh: { meaning: '邮箱被另一个会话锁定', cause: '用户名和密码已被接受，但另一个客户端（另一台电脑、手机、网页邮箱或收信检查程序）或未正常关闭的会话仍持有邮箱锁。这不是登录失败。', fix: '不要修改密码。关闭其他客户端或延长其收信间隔（或改用 IMAP）；等待几分钟让残留锁过期；管理员可清除残留锁。' },
  },
  {
    id: 'user-connection-limit',
    protocols: ['imap', 'pop3'],
    match: [/Maximum number of (concurrent )?connections from user/i, /mail_max_userip_connections/i, /too many (simultaneous |concurrent )?(connections|sessions) (for|from) (this )?user/i],
    en: { meaning: 'Too many connections for this account', cause: 'The account already has as many connections open from this address as the server allows (Dovecot mail_max_userip_connections, 10 by default): several devices at once, or a client that opens one connection per folder.', fix: 'Close the clients you do not use; lower the client\'s number of cached connections (Thunderbird: "Maximum number of server connections to cache"); the administrator may raise the limit.' },
    zh: { meaning: '该账户的连接数过多', cause: '该账户从此地址打开的连接数已达服务器上限（Dovecot 的 mail_max_userip_connections，默认 10）：多台设备同时在线，或客户端为每个文件夹各开一个连接。', fix: '关闭不用的客户端；减少客户端缓存的连接数（Thunderbird：“缓存的最大服务器连接数”）；管理员可提高上限。' },
  },
  {
    id: 'auth-failed',
    onlyWithCodes: ['AUTH', 'AUTHENTICATIONFAILED'],
    match: [/authentication (failed|failure|unsuccessful)/i, /Username and Password not accepted/i, /Incorrect authentication data/i, /invalid (credentials|login|user ?name or password|password)/i, /\[AUTHENTICATIONFAILED\]/, /^-ERR \[AUTH\]/m, /\blog ?in failed/i, /\bAUTHENTICATE failed/i, /\blogon failure/i, /\b5\.7\.(8|139)\b/],
    en: { meaning: 'Login failed: user name or password refused', cause: 'Wrong user name or password (often a stale password saved in a client or phone), a locked or expired account, or a provider that wants an app password or OAuth.', fix: 'Check the user name (often the full address) and the password saved in every client; reset it if needed; use an app password or OAuth where required.' },
    zh: { meaning: '登录失败：用户名或密码被拒绝', cause: '用户名或密码错误（常见于客户端或手机中保存的旧密码）、账户被锁定或过期，或服务商要求应用专用密码或 OAuth。', fix: '核对用户名（通常是完整邮箱地址）和各客户端中保存的密码；必要时重置密码；按要求使用应用专用密码或 OAuth。' },
  },
  {
    id: 'relay-denied-no-rdns',
    protocols: ['smtp'],
    match: [/Relaying denied\.? IP name (lookup failed|possibly forged)/i],
    en: { meaning: 'Relaying denied: the client\'s IP has no usable reverse DNS', cause: 'Sendmail refuses to relay for this client and notes that the reverse DNS lookup of its IP failed (or did not match the forward lookup): relaying rights granted by host name (access db "Connect:host RELAY", relay-domains) cannot apply to a client without a valid PTR name.', fix: 'Authenticate (SMTP AUTH, port 587) instead of relying on host-based relaying; or grant relaying by IP address in the access db (Connect:192.0.2 RELAY); or fix the PTR record of the client IP so that it matches forward. Mail to the server\'s own domains needs no relaying: check the recipient domain is local (local-host-names, mailertable).' },
    zh: { meaning: '拒绝中继：客户端 IP 没有可用的反向解析', cause: 'Sendmail 拒绝为该客户端中继，并指出其 IP 的反向 DNS 查询失败（或与正向解析不符）：按主机名授予的中继权限（access 数据库中的 “Connect:主机名 RELAY”、relay-domains）不适用于没有有效 PTR 名称的客户端。', fix: '改用认证（SMTP AUTH，587 端口），不依赖按主机授权的中继；或在 access 数据库中按 IP 地址授予中继权限（Connect:192.0.2 RELAY）；或修正客户端 IP 的 PTR 记录，使其与正向解析一致。发往服务器本地域名的邮件无需中继：确认收件域名已配置为本地域（local-host-names、mailertable）。' },
  },
  {
    id: 'relay-denied',
    protocols: ['smtp'],
    match: [/relay(ing)? (access )?(denied|not permitted|not allowed|prohibited|rejected)/i, /unable to relay/i, /(we do not|not permitted to|not allowed to|cannot) relay/i, /isn't in my list of allowed rcpthosts/i, /\b5\.7\.54\b/],
    en: { meaning: 'Relaying denied', cause: 'The server is not the destination for the recipient\'s domain and will pass mail on only for authenticated users or trusted networks; the client did neither.', fix: 'Senders: authenticate (port 587) before sending. Inbound mail: the recipient domain must be one the server accepts (Postfix mydestination / relay_domains / virtual domains, Exchange accepted domains), and the MX must point to it.' },
    zh: { meaning: '拒绝中继', cause: '该服务器不是收件域名的目的服务器，只为已认证用户或受信任网络转发邮件，而客户端两者都不是。', fix: '发件方：发送前先认证（587 端口）。入站邮件：收件域名必须是服务器接受的域（Postfix 的 mydestination / relay_domains / 虚拟域，Exchange 的接受域），且 MX 指向该服务器。' },
  },
  {
    id: 'auth-required',
    protocols: ['smtp'],
    match: [/authentication required/i, /SMTP AUTH (is )?required/i, /client (was )?not authenticated/i, /must (authenticate|be authenticated)/i, /Sender address rejected: not logged in/i, /\b5\.7\.57\b/],
    en: { meaning: 'Authentication required', cause: 'The server accepts mail here only from clients that log in (a submission port, or a relay that is closed to anonymous senders).', fix: 'Turn on SMTP authentication in the client with a valid account (usually port 587 with STARTTLS).' },
    zh: { meaning: '需要认证', cause: '该服务器只接受已登录客户端的邮件（提交端口，或不对匿名发件人开放的中继）。', fix: '在客户端启用 SMTP 认证并使用有效账户（通常为 587 端口加 STARTTLS）。' },
  },
  {
    id: 'sender-login-mismatch',
    protocols: ['smtp'],
    match: [/not owned by user/i, /does not have permissions to send as/i, /\b5\.7\.60\b/],
    en: { meaning: 'Not allowed to send as this sender', cause: 'The logged-in account does not own the MAIL FROM address (Postfix smtpd_sender_login_maps, Microsoft "send as" rights).', fix: 'Send from an address of the logged-in account, or grant it the right to send as this address.' },
    zh: { meaning: '无权以该发件人身份发信', cause: '已登录的账户并不拥有 MAIL FROM 地址（Postfix smtpd_sender_login_maps、Microsoft“代理发送”权限）。', fix: '使用已登录账户自己的地址发信，或为该账户授予以此地址发信的权限。' },
  },
  {
    id: 'lookup-failure',
    protocols: ['smtp'],
    match: [/Temporary lookup failure/i, /temporary (DNS|directory|table|map) (lookup )?(failure|error)/i],
    en: { meaning: 'The receiving server could not look something up (temporary)', cause: 'Postfix could not read one of its own lookup tables while checking the sender or recipient: a database (MySQL, PostgreSQL, LDAP) it cannot reach, a missing or unreadable map file, or a failing policy service. The problem is on the receiving server, not in the message.', fix: 'Nothing for the sender: the message is retried. The receiving administrator looks for "warning: ... lookup error" in the mail log, checks the database connection and the maps (postmap -q), and reloads Postfix.' },
    zh: { meaning: '接收服务器暂时无法完成查询', cause: 'Postfix 在检查发件人或收件人时无法读取自己的查询表：无法连接数据库（MySQL、PostgreSQL、LDAP）、映射文件缺失或不可读，或策略服务故障。问题出在接收服务器，而不是邮件本身。', fix: '发件方无需处理：邮件会自动重试。接收方管理员在邮件日志中查找 “warning: ... lookup error”，检查数据库连接和映射表（postmap -q），然后重新加载 Postfix。' },
  },
  {
    id: 'local-problem',
    protocols: ['smtp'],
    match: [/Temporary local problem/i, /local (error|problem) in processing/i, /queue file write error/i, /Server configuration (problem|error)/i],
    en: { meaning: 'Temporary problem on the receiving server', cause: 'The receiving server failed internally while taking the message: Exim\'s "temporary local problem" (a failing ACL lookup, database, virus or spam scanner, or spool write), a Postfix queue file write error (disk full, permissions), or a configuration error. Nothing is wrong with the message itself.', fix: 'The sender retries by itself. The receiving administrator reads the log at that time (Exim mainlog and paniclog, the Postfix mail log) and fixes the failing part: disk space, scanner daemon, database, configuration.' },
    zh: { meaning: '接收服务器出现临时故障', cause: '接收服务器在接收邮件时发生内部故障：Exim 的 “temporary local problem”（ACL 查询、数据库、病毒或垃圾邮件扫描器失败，或写入 spool 失败）、Postfix 的队列文件写入错误（磁盘已满、权限问题），或配置错误。邮件本身没有问题。', fix: '发件方会自动重试。接收方管理员查看该时间点的日志（Exim 的 mainlog 和 paniclog、Postfix 邮件日志），修复出错的部分：磁盘空间、扫描守护进程、数据库、配置。' },
  },
  {
    id: 'greylisting',
    match: [/gr[ea]y-?list/i, /Internal resource temporarily unavailable/i],
    en: { meaning: 'Greylisting: a deliberate first-time deferral', cause: 'The server temporarily refuses mail from a new (client, sender, recipient) combination and accepts it when the sender retries after a few minutes; spam software rarely retries.', fix: 'Nothing, for a normal mail server: it retries and the message arrives. Delays mean the sender retries too soon, or from a different IP each time (large senders: whitelist them in the greylisting policy).' },
    zh: { meaning: '灰名单：首次投递被有意推迟', cause: '服务器对新的（客户端、发件人、收件人）组合暂时拒收，发件方几分钟后重试即会接受；垃圾邮件程序通常不会重试。', fix: '正常邮件服务器无需处理：它会重试并最终送达。若延迟较长，说明发件方重试过早，或每次从不同 IP 重试（大型发件方：在灰名单策略中加入白名单）。' },
  },
  {
    id: 'ip-reputation',
    protocols: ['smtp'],
    // Gmail's 5.7.28 blocks an IP for its unsolicited mail (its 4.7.28 only slows it down: rate-limited).
    match: [/traffic not accepted from this IP/i, /due to IP reputation/i, /tenant has exceeded threshold/i, /permanently deferred/i, /\[TSS09\]/, /\b[45]\.7\.(70[58]|65[01])\b/, /^5\d\d[ -]5\.7\.28\b/m],
    en: { meaning: 'Sending IP refused or throttled for poor reputation at this provider', cause: 'The receiving provider\'s own reputation system (not a public blocklist) distrusts mail from this IP or tenant: spam or complaints seen from it lately, a sudden jump in volume, a new IP without sending history, or a shared IP or new Microsoft 365 tenant whose neighbours or accounts sent spam (Microsoft 5.7.708, 5.7.705, 4.7.650; Yahoo TSS09).', fix: 'Find and stop any spam source (compromised accounts, web forms, forwarding); authenticate with SPF, DKIM and DMARC; send only wanted mail and raise volume slowly; then ask for mitigation: Microsoft through sender.office.com or the Outlook.com sender support form (watch the IP in SNDS), a Microsoft 365 tenant through Microsoft support, Yahoo through its sender support form. A 4xx deferral is retried by itself and clears as the reputation recovers.' },
    zh: { meaning: '发送 IP 因在该服务商处信誉差而被拒收或限流', cause: '接收服务商自己的信誉系统（而非公共黑名单）不信任来自该 IP 或租户的邮件：近期发现垃圾邮件或投诉、发送量突增、没有发信历史的新 IP，或其他用户或自身账户发过垃圾邮件的共享 IP、新 Microsoft 365 租户（Microsoft 5.7.708、5.7.705、4.7.650；Yahoo TSS09）。', fix: '找到并阻止垃圾邮件来源（被盗账户、网页表单、转发）；用 SPF、DKIM 和 DMARC 认证邮件；只发送收件人需要的邮件，逐步提高发送量；然后申请解除：Microsoft 通过 sender.office.com 或 Outlook.com 发件人支持表单（用 SNDS 监控该 IP），Microsoft 365 租户通过 Microsoft 支持，Yahoo 通过其发件人支持表单。4xx 推迟会自动重试，信誉恢复后即解除。' },
  },
  {
    id: 'complaints-deferred',
    protocols: ['smtp'],
    match: [/user complaints/i, /\[TSS?\d+\]/],
    en: { meaning: 'Deferred for user complaints or unusual traffic (sender reputation)', cause: 'Yahoo / AOL (TSS04, TS0x) saw recipients mark mail from this IP as spam, or an unusual pattern of traffic from it. This is a reputation judgement, not a fixed rate limit: slowing down alone rarely clears it. Often a compromised account or script sent spam, or a bulk list reaches people who did not ask for it.', fix: 'Let the queue retry (it is temporary); find and stop any spam source on the server; send only to people who opted in and drop inactive addresses; sign with DKIM and join Yahoo\'s complaint feedback loop to see who complains; if it lasts for days, use Yahoo\'s sender support form.' },
    zh: { meaning: '因用户投诉或异常流量被推迟（发件信誉）', cause: 'Yahoo / AOL（TSS04、TS0x）发现收件人把来自该 IP 的邮件标为垃圾邮件，或该 IP 的流量模式异常。这是信誉判断而非固定的速率限制：单纯降低速度通常无法解除。常见原因是被盗账户或脚本发出了垃圾邮件，或群发列表中有未订阅的收件人。', fix: '让队列自动重试（这是临时性的）；找到并阻止服务器上的垃圾邮件来源；只发给主动订阅的人，清除不活跃地址；用 DKIM 签名并加入 Yahoo 的投诉反馈环以查看谁在投诉；若持续数天，通过 Yahoo 的发件人支持表单联系。' },
  },
  {
    id: 'rate-limited',
    match: [/too many (concurrent )?(SMTP )?connections/i, /maximum number of concurrent connections/i, /too much mail from/i, /too many recipients from/i, /rate limit/i, /unusual rate/i, /receiving mail at a rate/i, /unexpected volume/i, /Server busy/i, /sending (limit|quota) exceeded/i, /(message|submission) rate .*exceeded/i, /max(imum)? (number of )?(messages?|recipients?) per connection/i, /\b4\.7\.28\b/],
    en: { meaning: 'Rate limited: too many connections or messages', cause: 'The client opened too many connections, or sent too many messages or recipients too fast, for this server or recipient; the server throttles it for a while.', fix: 'Let the queue retry later; lower concurrency and the sending rate toward this destination (Postfix: destination concurrency and rate delay); check for a compromised account sending bulk mail.' },
    zh: { meaning: '被限速：连接或邮件过多', cause: '客户端打开的连接过多，或发送邮件、收件人过快，超出该服务器或收件人的限制；服务器暂时对其限流。', fix: '让队列稍后重试；降低对该目标的并发数和发送速率（Postfix：目标并发数与 rate delay）；检查是否有被盗账户在群发邮件。' },
  },
  {
    id: 'helo-rejected',
    protocols: ['smtp'],
    match: [/Helo command rejected/i, /invalid (HELO|EHLO)/i],
    en: { meaning: 'HELO/EHLO name rejected', cause: 'The name the client gave in HELO/EHLO is not a fully qualified host name, or does not exist in DNS (e.g. "localhost", a bare word).', fix: 'Set the sending server\'s host name to a public, resolvable FQDN (Postfix myhostname / smtp_helo_name), ideally the name its IP\'s PTR record gives.' },
    zh: { meaning: 'HELO/EHLO 名称被拒绝', cause: '客户端在 HELO/EHLO 中给出的名称不是完整主机名，或在 DNS 中不存在（如“localhost”或单个词）。', fix: '将发送服务器的主机名设为可公开解析的完整域名（Postfix 的 myhostname / smtp_helo_name），最好与其 IP 的 PTR 记录一致。' },
  },
  {
    id: 'reverse-dns',
    protocols: ['smtp'],
    match: [/cannot find your (reverse )?hostname/i, /reverse (DNS|hostname|lookup)/i, /(no|does not have a|missing) PTR record/i, /PTR record setup/i, /\b5\.7\.25\b/],
    en: { meaning: 'No valid reverse DNS for the sending IP', cause: 'The client IP has no PTR record, or the PTR name does not resolve back to the same IP; many servers refuse such clients.', fix: 'Ask the owner of the IP (ISP, cloud or hosting provider) to set a PTR record to the server\'s host name, and make that name resolve (A/AAAA) to the IP.' },
    zh: { meaning: '发送 IP 没有有效的反向解析', cause: '客户端 IP 没有 PTR 记录，或 PTR 名称不能解析回同一 IP；许多服务器会拒绝此类客户端。', fix: '请 IP 所有者（运营商、云或托管服务商）将 PTR 记录设为服务器主机名，并使该名称（A/AAAA）解析回此 IP。' },
  },
  {
    id: 'dynamic-ip',
    protocols: ['smtp'],
    match: [/\bpbl\.spamhaus/i, /\bPBL\b/, /dynamic(ally assigned)? (ip|address|pool|range|host)/i, /\bdul\.dnsbl/i, /dial-?up/i, /residential/i, /consumer (ip|range|address)/i, /not authorized to send (e-?mail |mail )?directly/i, /use the SMTP relay at your service provider/i],
    en: { meaning: 'Sending from a dynamic or residential IP', cause: 'The client IP belongs to a range its owner lists as end-user addresses that should not send mail directly (Spamhaus PBL, SORBS DUHL).', fix: 'Send through the ISP\'s or provider\'s authenticated relay (smarthost) instead of directly; servers with a fixed IP: ask the ISP for a static IP with reverse DNS and remove it from the PBL.' },
    zh: { meaning: '从动态或家庭宽带 IP 发信', cause: '客户端 IP 属于其所有者声明为终端用户、不应直接发信的地址段（Spamhaus PBL、SORBS DUHL）。', fix: '改为通过运营商或服务商的认证中继（smarthost）发送；固定 IP 的服务器：向运营商申请带反向解析的静态 IP，并将其从 PBL 中移除。' },
  },
  {
    id: 'dnsbl',
    protocols: ['smtp'],
    match: [/blocked using/i, /spamhaus/i, /spamcop/i, /Barracuda Reputation/i, /\bS3150\b/, /\bS3140\b/, /banned sending IP/i, /banned sender\b/i, /\b(RBL|DNSBL)\b/i, /\b(black|block|deny) ?list(ed)?\b/i, /\[BL\d+\]/, /listed (at|on|in) /i, /Client host (\[[^\]]*\] )?rejected/i],
    en: { meaning: 'Sending IP is on a blocklist (DNSBL / reputation)', cause: 'The client IP is listed by a DNS blocklist or the receiver\'s own reputation system (Spamhaus, SpamCop, Barracuda, Microsoft), usually after spam was seen from it: a compromised account, an infected host, or a shared IP.', fix: 'Look the IP up on the list named in the reply; find and stop the source of the spam; then request delisting through the list\'s or the provider\'s delisting page.' },
    zh: { meaning: '发送 IP 在黑名单中（DNSBL / 信誉系统）', cause: '客户端 IP 被 DNS 黑名单或接收方自己的信誉系统（Spamhaus、SpamCop、Barracuda、Microsoft）列入，通常是因为曾发出垃圾邮件：账户被盗、主机中毒或共享 IP。', fix: '在应答中提到的黑名单网站查询该 IP；找到并阻止垃圾邮件来源；然后通过该名单或服务商的解封页面申请移除。' },
  },
  {
    id: 'sender-verify-failed',
    protocols: ['smtp'],
    match: [/Verification failed for/i, /Sender verify (failed|defer)/i, /Sender address rejected: (undeliverable|unverified) address/i, /could not verify sender/i],
    en: { meaning: 'Sender address failed verification', cause: 'The receiving server checked the MAIL FROM address before accepting (Exim sender verify callout, Postfix reject_unverified_sender): it asked the sender domain\'s MX whether the address takes mail, and was told no: a no-reply address that refuses mail, a made-up or mistyped address, a domain without a working MX, or an MX that refuses the probe (sent from the null sender <>).', fix: 'Send from a real address that accepts replies; make the sender domain\'s MX accept RCPT for it, also from the null sender <>; a 4xx answer is retried by itself.' },
    zh: { meaning: '发件人地址验证失败', cause: '接收服务器在接受邮件前核查了 MAIL FROM 地址（Exim 的 sender verify 回调、Postfix 的 reject_unverified_sender）：它询问发件域名的 MX 该地址能否收信，得到否定答复：拒收邮件的 no-reply 地址、虚构或拼错的地址、没有可用 MX 的域名，或拒绝这次探测的 MX（探测使用空发件人 <>）。', fix: '使用能接收回信的真实地址发信；让发件域名的 MX 接受该地址的 RCPT，包括来自空发件人 <> 的请求；若为 4xx 应答，会自动重试。' },
  },
  {
    id: 'administrative-prohibition',
    protocols: ['smtp'],
    // Postfix says "Access denied" when an access table (check_recipient_access, check_sender_access) answers REJECT;
    // Microsoft's "5.4.1 Recipient address rejected: Access denied" is an unknown recipient (unknown-user).
    match: [/administrative prohibition/i, /administratively (denied|prohibited|rejected)/i, /^5\d\d[ -]5\.7\.1\b.*(Recipient|Sender) address rejected: Access denied/m],
    en: { meaning: 'Refused by a local rule of the receiving server', cause: 'A rule of the receiving server denies this sender, recipient or client without a message of its own: Exim\'s stock answer when one of its ACLs denies (or an alias set to :fail:), Postfix\'s "Access denied" when an access table (check_recipient_access, check_sender_access) answers REJECT. The real reason is a local rule (a blocked sender or domain, a blocklist, a spam rule, a recipient that may not receive from outside) and is only in the receiver\'s configuration and log.', fix: 'Check the addresses for typos; ask the recipient\'s mail administrator which rule refused it (Exim: the mainlog and rejectlog; Postfix: the access tables named in smtpd_recipient_restrictions and the mail log, by time and address); if the sending IP is on a blocklist, fix that first.' },
    zh: { meaning: '被接收服务器的本地规则拒绝', cause: '接收服务器的某条规则在没有自定义说明的情况下拒绝了该发件人、收件人或客户端：Exim 的 ACL 拒绝时（或别名被设为 :fail:）给出的默认应答，或 Postfix 的访问表（check_recipient_access、check_sender_access）返回 REJECT 时的 “Access denied”。真正原因是本地规则（被屏蔽的发件人或域名、黑名单、垃圾邮件规则、不允许接收外部邮件的收件人），只在接收方的配置和日志中。', fix: '检查地址是否拼写错误；请收件方邮件管理员查明是哪条规则拒绝的（Exim：mainlog 和 rejectlog；Postfix：smtpd_recipient_restrictions 中列出的访问表和邮件日志，按时间和地址查）；若发送 IP 在黑名单中，先解决该问题。' },
  },
  {
    id: 'sender-domain-unresolved',
    protocols: ['smtp'],
    match: [/Sender address rejected: Domain not found/i, /Domain of sender address .* does not (exist|resolve)/i, /sender domain (does not exist|not found|must (exist|resolve))/i, /\b[45]\.1\.8\b/],
    en: { meaning: 'Sender domain does not resolve', cause: 'The domain in MAIL FROM has no MX or A record in DNS (a typo, an internal-only domain such as example.local, or a DNS outage).', fix: 'Send from a domain that exists in public DNS (fix the application\'s From address); publish MX/A records for it; if the DNS lookup merely failed, it will pass on retry.' },
    zh: { meaning: '发件人域名无法解析', cause: 'MAIL FROM 中的域名在 DNS 中没有 MX 或 A 记录（拼写错误、仅内部使用的域名如 example.local，或 DNS 故障）。', fix: '使用在公网 DNS 中存在的域名发信（修正应用的发件地址）；为其发布 MX/A 记录；若只是 DNS 查询临时失败，重试即可通过。' },
  },
  {
    id: 'mail-loop',
    protocols: ['smtp'],
    match: [/hop count exceeded/i, /mail (forwarding )?loop/i, /loops? (back to myself|detected)/i, /too many (hops|"?Received"? headers)/i, /routing loop/i, /\b[45]\.4\.(6|14)\b/],
    en: { meaning: 'Mail loop: too many hops', cause: 'The message has passed through too many servers (more Received headers than the limit), which nearly always means it is going round in circles: forwarding rules that send it back, an MX or relay host that points to itself, or (Microsoft 365 / Exchange, 5.4.14) connectors or a hybrid setup routing it back and forth.', fix: 'Read the Received headers of the bounced copy to see which servers it circled between; fix the forwarding rule, MX record, relay host or connector that sends it back (Postfix: mydestination, relayhost; Exchange: accepted domains and connectors).' },
    zh: { meaning: '邮件环路：转发跳数过多', cause: '邮件经过的服务器过多（Received 头超过上限），几乎总是说明它在兜圈子：转发规则把邮件送回、MX 或中继主机指向自身，或（Microsoft 365 / Exchange，5.4.14）连接器或混合部署使邮件来回路由。', fix: '查看退信中原邮件的 Received 头，找出邮件在哪些服务器之间循环；修正把邮件送回的转发规则、MX 记录、中继主机或连接器（Postfix：mydestination、relayhost；Exchange：接受域和连接器）。' },
  },
  {
    id: 'recipient-domain-unresolved',
    protocols: ['smtp'],
    match: [/Recipient address rejected: Domain not found/i, /Host or domain name not found/i, /\b[45]\.1\.2\b/],
    en: { meaning: 'Recipient domain does not resolve', cause: 'The domain of the recipient has no MX or A record (a typo in the domain, or an expired domain).', fix: 'Check the spelling of the recipient\'s domain; ask the recipient to fix their DNS.' },
    zh: { meaning: '收件人域名无法解析', cause: '收件人的域名没有 MX 或 A 记录（域名拼写错误或域名已过期）。', fix: '检查收件人域名的拼写；请收件人修复其 DNS。' },
  },
  {
    id: 'spf',
    protocols: ['smtp'],
    match: [/SPF (check |validation )?(fail|hard ?fail|softfail|error|unauthori[sz]ed|violation|permerror|temperror)/i, /fails? to pass SPF/i, /SPF (check )?(does|did) not pass/i, /Sender Policy Framework/i, /\b5\.7\.2[34]\b/],
    en: { meaning: 'SPF check failed', cause: 'The sending IP is not listed in the SPF record of the MAIL FROM domain (a new server, a forwarder, or a third-party sender not included).', fix: 'Add the sending server (ip4:/ip6: or the provider\'s include:) to the domain\'s SPF TXT record; keep it under 10 DNS lookups; forwarders should use SRS.' },
    zh: { meaning: 'SPF 检查失败', cause: '发送 IP 不在 MAIL FROM 域名的 SPF 记录中（新服务器、转发，或未包含的第三方发信服务）。', fix: '将发送服务器（ip4:/ip6: 或服务商的 include:）加入域名的 SPF TXT 记录；DNS 查询次数保持在 10 次以内；转发方应使用 SRS。' },
  },
  {
    id: 'dmarc',
    protocols: ['smtp'],
    match: [/\bDMARC\b/i, /\b5\.7\.(509|515)\b/],
    en: { meaning: 'DMARC policy rejection', cause: 'Neither SPF nor DKIM passed in alignment with the From header\'s domain, and that domain publishes a DMARC policy of reject (or the receiver requires authentication of bulk senders).', fix: 'Make SPF or DKIM pass for the From domain (DKIM signing with d= the From domain is the robust way); check the DMARC aggregate reports; do not send with someone else\'s domain in From.' },
    zh: { meaning: '被 DMARC 策略拒收', cause: 'SPF 和 DKIM 均未在与 From 头域名对齐的情况下通过，且该域名发布了 reject 的 DMARC 策略（或接收方要求批量发件人必须认证）。', fix: '让 From 域名的 SPF 或 DKIM 通过（用 d= From 域名做 DKIM 签名最可靠）；查看 DMARC 汇总报告；不要在 From 中使用他人的域名。' },
  },
  {
    id: 'sender-unauthenticated',
    protocols: ['smtp'],
    match: [/unauthenticated/i, /authentication (information|checks)/i, /\bDKIM\b/i, /\b5\.7\.2[0-2]\b/, /\b5\.7\.26\b/],
    en: { meaning: 'Message failed sender authentication (SPF / DKIM)', cause: 'The message has no passing SPF or DKIM for its domain; large providers now refuse such mail.', fix: 'Publish an SPF record covering the sending server and sign with DKIM for the From domain; add a DMARC record.' },
    zh: { meaning: '邮件未通过发件人认证（SPF / DKIM）', cause: '邮件的域名既没有通过 SPF 也没有通过 DKIM；大型邮件服务商已拒收此类邮件。', fix: '发布涵盖发送服务器的 SPF 记录，并用 From 域名做 DKIM 签名；添加 DMARC 记录。' },
  },
  {
    id: 'policy-rejected',
    protocols: ['smtp'],
    match: [/not accepted for policy reasons/i, /rejected (for|due to) policy reasons/i, /^55\d[ -]5\.7\.9\b/m],
    en: { meaning: 'Message refused for policy reasons (usually failed sender authentication)', cause: 'The receiver\'s policy refused the message. Yahoo and AOL send 554 5.7.9 mostly when it fails their authentication checks: no SPF or DKIM pass aligned with the From domain, or a From domain whose DMARC policy is reject (forwarding often breaks SPF and DKIM this way); less often for content or reputation. In the IANA registry 5.7.9 is "authentication mechanism too weak", an answer to AUTH; after DATA providers use it for policy.', fix: 'Read the message\'s Authentication-Results: make SPF and DKIM pass for the From domain and publish DMARC; forwarders should rewrite the envelope sender (SRS) and keep DKIM intact; if authentication passes, review the content and contact the provider\'s sender support.' },
    zh: { meaning: '邮件因策略原因被拒（多为发件人认证未通过）', cause: '接收方的策略拒绝了该邮件。Yahoo 和 AOL 发送 554 5.7.9 大多是因为邮件未通过其认证检查：没有与 From 域名对齐的 SPF 或 DKIM 通过，或 From 域名的 DMARC 策略为 reject（转发常因此使 SPF 和 DKIM 失效）；少数情况是内容或信誉问题。在 IANA 注册表中 5.7.9 表示“认证机制强度不足”，是对 AUTH 的应答；在 DATA 之后服务商用它表示策略拒收。', fix: '查看邮件的 Authentication-Results：让 From 域名的 SPF 和 DKIM 通过并发布 DMARC；转发方应改写信封发件人（SRS）并保持 DKIM 签名完整；若认证均已通过，检查邮件内容并联系服务商的发件人支持。' },
  },
  {
    id: 'virus',
    protocols: ['smtp'],
    match: [/virus/i, /\bINFECTED\b/i, /malware/i, /potential security issue/i, /Eicar/i],
    en: { meaning: 'Rejected as a virus or dangerous content', cause: 'The receiver\'s scanner found malware, or a blocked attachment type (executables, some archives, macros).', fix: 'Scan the sending machine; do not send executables or archives of them; share such files another way.' },
    zh: { meaning: '因病毒或危险内容被拒', cause: '接收方的扫描器发现了恶意软件，或被禁止的附件类型（可执行文件、某些压缩包、宏）。', fix: '对发送主机进行病毒扫描；不要发送可执行文件或其压缩包；改用其他方式分享此类文件。' },
  },
  {
    id: 'spam',
    protocols: ['smtp'],
    match: [/\bspam\b/i, /unsolicited/i, /content rejected/i, /\bUCE\b/, /Blocked by SpamAssassin/i, /\bjunk\b/i],
    en: { meaning: 'Rejected as spam (content filter)', cause: 'The receiver\'s content filter scored the message as spam: its content, links, missing authentication, or the sender\'s reputation.', fix: 'Check the message (links, URL shorteners, attachments), set up SPF/DKIM/DMARC, send only to people who asked for it; ask the receiver to whitelist you if it is legitimate.' },
    zh: { meaning: '被判为垃圾邮件（内容过滤）', cause: '接收方的内容过滤器将邮件判为垃圾邮件：内容、链接、缺少发件认证或发件人信誉。', fix: '检查邮件内容（链接、短链接、附件），配置 SPF/DKIM/DMARC，只发送给订阅者；若属正常邮件，请接收方将您加入白名单。' },
  },
  {
    id: 'bad-sequence',
    protocols: ['smtp'],
    match: [/bad sequence of commands/i, /need (MAIL|RCPT|HELO|EHLO)( command)?/i, /send (HELO|EHLO|hello)(\/EHLO)? first/i, /nested MAIL command/i, /sender already (given|specified)/i, /All RCPT commands were rejected/i, /already authenticated/i],
    en: { meaning: 'Commands out of order', cause: 'The client sent a command the state does not allow: RCPT before MAIL, DATA after every RCPT was refused, MAIL twice, or nothing before HELO. Often a consequence of an earlier failed command, or of pipelining without checking replies.', fix: 'Look at the command before it in the transcript: usually it failed first. Fix the client to follow HELO/EHLO, MAIL, RCPT, DATA and to check each reply.' },
    zh: { meaning: '命令顺序错误', cause: '客户端发送了当前状态不允许的命令：MAIL 前发 RCPT、所有 RCPT 被拒后仍发 DATA、重复 MAIL，或 HELO 之前发命令。常因前一条命令已失败，或使用管道时未检查应答。', fix: '查看会话记录中它之前的命令：通常是那条先失败了。修正客户端，使其按 HELO/EHLO、MAIL、RCPT、DATA 顺序发送并检查每条应答。' },
  },
  {
    id: 'unknown-command',
    match: [/command (unrecognized|unrecognised|not recognized|not recognised|unknown)/i, /(unrecognized|unrecognised|unknown) command/i],
    en: { meaning: 'Command not recognised', cause: 'The server does not know the command: a typo, a command of another protocol (an HTTP request, or IMAP on an SMTP port), an extension the server did not announce, or a firewall or antivirus proxy that garbled it. The code 5.5.1 means "invalid command"; on its own it does not say the commands came out of order.', fix: 'Look at the command the client sent (it is in the transcript); use only what the server announces (EHLO, CAPA, CAPABILITY); check the client speaks the right protocol on this port; turn off SMTP or mail "inspection" in firewalls and antivirus.' },
    zh: { meaning: '无法识别的命令', cause: '服务器不认识该命令：拼写错误、其他协议的命令（HTTP 请求，或向 SMTP 端口发送 IMAP 命令）、服务器未声明的扩展，或防火墙、杀毒软件代理改坏了命令。5.5.1 的含义是“无效命令”，单凭它并不说明命令顺序有误。', fix: '查看客户端发送的命令（见会话记录）；只使用服务器声明的功能（EHLO、CAPA、CAPABILITY 的结果）；确认客户端在该端口使用了正确的协议；关闭防火墙和杀毒软件的 SMTP/邮件“检查”功能。' },
  },
  {
    id: 'too-many-recipients',
    protocols: ['smtp'],
    match: [/too many recipients/i, /RecipLimit/i, /\b[45]\.5\.3\b/],
    en: { meaning: 'Too many recipients in one message', cause: 'The message has more RCPT TO than the server accepts per transaction (Postfix smtpd_recipient_limit, Exchange recipient limits).', fix: 'A mail server retries the rest itself after 452. For 550, or from an application: split the recipients into batches, or use a mailing list.' },
    zh: { meaning: '单封邮件的收件人过多', cause: '邮件的 RCPT TO 数量超过服务器每次事务允许的上限（Postfix 的 smtpd_recipient_limit、Exchange 的收件人限制）。', fix: '收到 452 时邮件服务器会自动重试其余收件人。若为 550 或由应用发送：将收件人分批发送，或使用邮件列表。' },
  },
  {
    id: 'server-resources',
    protocols: ['smtp'],
    match: [/Insufficient (disk space|system (storage|resources))/i, /\b4\.3\.1\b/],
    en: { meaning: 'Receiving server short of disk space or resources', cause: 'The server itself, not the recipient\'s mailbox, is low on disk space or memory and refuses new mail for now: Postfix queue_minfree, Sendmail MinFreeBlocks, Exchange back pressure (free disk or memory of the transport server under its threshold).', fix: 'The sender retries by itself. The receiving administrator frees space on the queue volume (or adds memory) and finds what filled it (a mail flood, logs, a stuck queue); Exchange: look for back pressure events in the application log.' },
    zh: { meaning: '接收服务器磁盘空间或资源不足', cause: '服务器本身（而不是收件人的邮箱）磁盘空间或内存不足，暂时拒收新邮件：Postfix 的 queue_minfree、Sendmail 的 MinFreeBlocks、Exchange 的背压机制（传输服务器的可用磁盘或内存低于阈值）。', fix: '发件方会自动重试。接收方管理员释放队列所在分区的空间（或增加内存），并查明是什么占满了空间（邮件洪泛、日志、阻塞的队列）；Exchange：在应用程序日志中查看背压事件。' },
  },
  {
    id: 'message-too-big',
    match: [/message (size|file|length) (exceeds|is too|too)/i, /message (is )?too (big|large)/i, /exceeded .*message size limits?/i, /\[TOOBIG\]/, /\b[45]\.3\.4\b/, /\b[45]\.2\.3\b/],
    en: { meaning: 'Message too big', cause: 'The message (attachments grow by a third when encoded) is larger than the server accepts (SIZE in its EHLO reply; Postfix message_size_limit).', fix: 'Send a smaller message, or share large files by link; the receiving administrator may raise the limit.' },
    zh: { meaning: '邮件过大', cause: '邮件（附件编码后约增大三分之一）超过服务器接受的大小（见 EHLO 应答中的 SIZE；Postfix 的 message_size_limit）。', fix: '减小邮件，或用链接分享大文件；接收方管理员可提高上限。' },
  },
  {
    id: 'mailbox-full',
    match: [/mailbox (is )?full/i, /over ?quota/i, /quota (exceeded|full)/i, /QuotaExceeded/i, /out of storage/i, /insufficient (storage|space)/i, /\[OVERQUOTA\]/i, /\b[45]\.2\.2\b/],
    en: { meaning: 'Mailbox full (over quota)', cause: 'The recipient\'s mailbox has reached its storage quota.', fix: 'The recipient deletes or archives mail, or the administrator raises the quota; 4xx replies are retried, 5xx must be resent.' },
    zh: { meaning: '邮箱已满（超出配额）', cause: '收件人邮箱已达到存储配额。', fix: '收件人删除或归档邮件，或由管理员提高配额；4xx 会自动重试，5xx 需要重新发送。' },
  },
  {
    id: 'mailbox-disabled',
    protocols: ['smtp'],
    match: [/(mailbox|account|user)\b[^.]*\b(is |has been )?(disabled|inactive|suspended|deactivated)/i, /\b[45]\.2\.1\b/],
    en: { meaning: 'Recipient mailbox disabled', cause: 'The recipient\'s account exists but is disabled, suspended or closed for inactivity.', fix: 'Reach the recipient another way; their administrator must re-enable the account.' },
    zh: { meaning: '收件人邮箱已停用', cause: '收件人账户存在，但已被停用、冻结或因长期不用而关闭。', fix: '通过其他方式联系收件人；需由其管理员重新启用账户。' },
  },
  {
    id: 'unknown-user',
    protocols: ['smtp'],
    match: [/user unknown/i, /unknown (user|recipient)/i, /no such (user|mailbox|recipient)/i, /does ?n[o']t exist/i, /doesn't have an? \S+ account/i, /RecipientNotFound/i, /recipient not found/i, /unrouteable address/i, /invalid (recipient|mailbox)/i, /mailbox (not found|unavailable)/i, /Recipient address rejected/i, /\b5\.1\.(1|10)\b/],
    en: { meaning: 'Recipient does not exist', cause: 'There is no mailbox for this address at the receiving server: a typo, a deleted account, or (on your own server) a user missing from the recipient table or directory. Microsoft 365 answers "550 5.4.1 Recipient address rejected: Access denied" for an address not in the tenant\'s directory (Directory-Based Edge Blocking).', fix: 'Check the address for typos. Your own server: add the user or alias (Postfix virtual_mailbox_maps / local_recipient_maps, Exchange recipients) or fix directory sync.' },
    zh: { meaning: '收件人不存在', cause: '接收服务器上没有该地址的邮箱：拼写错误、账户已删除，或（在自己的服务器上）收件人表或目录中缺少该用户。Microsoft 365 对不在租户目录中的地址回答 “550 5.4.1 Recipient address rejected: Access denied”（基于目录的边缘阻止）。', fix: '检查地址拼写。若是自己的服务器：添加该用户或别名（Postfix 的 virtual_mailbox_maps / local_recipient_maps，Exchange 收件人），或修复目录同步。' },
  },
  {
    id: 'connection-timeout',
    protocols: ['smtp'],
    match: [/timeout exceeded/i, /timed? ?out (waiting|while)/i, /connection (timed out|timeout)/i, /connection dropped/i, /\b4\.4\.2\b/],
    en: { meaning: 'Connection timed out or dropped', cause: 'The server gave up on the connection: the client stayed silent longer than the server waits for the next command or the rest of the message (Postfix smtpd_timeout, 300 s by default), or the network path broke (a firewall, NAT or proxy dropping an idle or long connection, a slow link during a large DATA).', fix: 'A mail server retries by itself. If it repeats: see in the transcript what the client was doing before it stopped (a long pause before a command, or in DATA); check firewalls, NAT and MTU on the path; make the client answer promptly.' },
    zh: { meaning: '连接超时或被断开', cause: '服务器放弃了该连接：客户端沉默的时间超过了服务器等待下一条命令或剩余邮件内容的时限（Postfix 的 smtpd_timeout，默认 300 秒），或网络路径中断（防火墙、NAT 或代理断开空闲或持续过久的连接，发送大邮件时链路过慢）。', fix: '邮件服务器会自动重试。若反复出现：在会话记录中查看客户端中断前在做什么（命令之前长时间停顿，或正处于 DATA）；检查路径上的防火墙、NAT 和 MTU；让客户端及时应答。' },
  },
  {
    id: 'bare-lf',
    protocols: ['smtp'],
    match: [/bare <?(LF|CR)>?/i, /bare (line ?feeds?|newlines?)/i],
    en: { meaning: 'Bare line feed in the message', cause: 'The client ended lines with LF alone instead of CRLF; servers refuse this since the SMTP smuggling attacks (Postfix smtpd_forbid_bare_newline).', fix: 'Fix the sending application to end every line with CRLF (RFC 5321 2.3.8).' },
    zh: { meaning: '邮件中含有单独的换行符', cause: '客户端用单独的 LF 而不是 CRLF 结束行；自 SMTP 走私攻击以来服务器会拒绝此类内容（Postfix 的 smtpd_forbid_bare_newline）。', fix: '修正发送程序，使每行都以 CRLF 结束（RFC 5321 2.3.8）。' },
  },
  {
    id: 'line-too-long',
    match: [/line (is )?too long/i, /line length/i, /lines? longer than/i, /command too long/i, /too long (command )?line/i],
    en: { meaning: 'Line too long', cause: 'A command or message line exceeds the limit (SMTP: 512 octets for commands, 1000 for text lines, RFC 5321 4.5.3.1); often an application writing long HTML lines without line breaks or encoding.', fix: 'Wrap lines or send the body quoted-printable or base64; fix the client that sends long commands.' },
    zh: { meaning: '行过长', cause: '命令或邮件行超出上限（SMTP：命令 512 字节，文本行 1000 字节，RFC 5321 4.5.3.1）；常见于应用输出不换行的长 HTML 行且未编码。', fix: '对行进行折行，或以 quoted-printable / base64 编码正文；修正发送长命令的客户端。' },
  },
  {
    id: 'idle-timeout',
    protocols: ['imap', 'pop3'],
    match: [/autologout/i, /disconnected for inactivity/i, /idle for too long/i, /(idle )?time-?out/i],
    en: { meaning: 'Disconnected after being idle', cause: 'The client sent nothing for longer than the server\'s idle limit (IMAP: at least 30 minutes, RFC 9051).', fix: 'Nothing, if the client reconnects; otherwise make it use IDLE or send NOOP within the limit.' },
    zh: { meaning: '空闲超时被断开', cause: '客户端在超过服务器空闲上限的时间内未发送任何内容（IMAP：至少 30 分钟，RFC 9051）。', fix: '若客户端会自动重连则无需处理；否则让它使用 IDLE 或在时限内发送 NOOP。' },
  },
  {
    id: 'deferred-try-later',
    match: [/(try|retry|come back) (again )?later/i, /temporarily (deferred|rejected|unavailable|refused)/i, /try again in \d/i],
    en: { meaning: 'Temporarily deferred', cause: 'The server refuses for now without saying why: often greylisting, a busy server or a temporary policy check failure.', fix: 'Let the sending server retry as usual; look into it only if the message stays queued for hours.' },
    zh: { meaning: '暂时推迟', cause: '服务器暂时拒收但未说明原因：常见于灰名单、服务器繁忙或临时的策略检查失败。', fix: '让发送服务器按常规重试；只有邮件在队列中滞留数小时才需排查。' },
  },
];

/** Words around the explanations, in every language. */
export const LABELS: Record<Lang, { colon: string; meaning: string; cause: string; fix: string; temporary: string; permanent: string; success: string; matched: string; codes: string }> = {
  en: { colon: ': ', meaning: 'meaning', cause: 'cause', fix: 'fix', temporary: 'temporary failure', permanent: 'permanent failure', success: 'not a failure', matched: 'recognised text', codes: 'codes' },
  zh: { colon: '：', meaning: '含义', cause: '原因', fix: '解决办法', temporary: '临时失败', permanent: '永久失败', success: '非失败应答', matched: '识别到的文字', codes: '代码' },
};
