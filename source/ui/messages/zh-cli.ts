import type {CliMessages, RangeWords} from './en-cli.js';

/*
 * The command line's words in Chinese: --help and the usage errors. Flags, values and
 * file names stay as typed; the help's columns are measured by display width (a CJK
 * character takes two), and test/unit/cli-help-zh.test.ts holds it within 80 columns.
 */

const unitWords = {seconds: '秒', ms: '毫秒'} as const;
const whoseWords = {kernel: '（内核允许的范围）', 'zero-off': '（0 表示关闭）'} as const;
// Ends with a space or a unit, to be followed by 之间: "1 到 127 之间", "1 到 32767 秒之间".
const range = ({min, max, unit}: RangeWords) => `${min} 到 ${max} ${unit === undefined ? '' : unitWords[unit]}`;
const flags = (names: readonly string[]) => names.map(name => `--${name}`).join('、');

export const cliZh: CliMessages = {
	usage: `ka-tutorial —— 亲手运行一遍，弄清 Linux 上的 TCP keepalive 究竟如何工作

用法
  ka-tutorial [选项]             交互式教程（需要终端）
  ka-tutorial lab [选项]         无界面地做一次实验：建立连接、keepalive、
                                 防火墙丢包、RST，并输出时间线
  ka-tutorial doctor             检查本机是否具备实验的条件，再跑一个 3 秒
                                 的小实验；整个教程都能运行时退出码为 0
                                 （供工作坊开始前检查）
  ka-tutorial check-lessons [DIR]
                                 按 lessons/FORMAT.md 检查一个课程目录（默认
                                 为自带课程），逐条输出“文件:行: 问题”，
                                 没有问题时退出码为 0
  ka-tutorial verify EXERCISE --idle S --intvl S --probes N [--json]
                                 用这组取值在真实实验里做一道练习：输出时间线
                                 和结论，通过时退出码为 0，未通过为 1（也接受
                                 --lessons、--lang、--sandbox、--firewall）
  ka-tutorial verify --list      列出所有练习的 id 和目标

keepalive 参数（按内核允许的范围检查）
  --preset article|fast   article：idle 55 秒、intvl 6 秒、probes 2（lab 默认）
                          fast：idle 5 秒、intvl 2 秒、probes 3（教程默认）
  --idle S                TCP_KEEPIDLE，1..32767 秒
  --intvl S               TCP_KEEPINTVL，1..32767 秒
  --probes N              TCP_KEEPCNT，1..127

教程
  --lesson N              从第 N 课开始
  --lessons DIR           使用 DIR 中的课程，而不是自带的课程
  --lang zh|en            课程和界面的语言（默认取自 LC_ALL、LC_MESSAGES
                          或 LANG：以 zh 开头为 zh，其余为 en）
  --reset                 从头开始：清除保存的进度（保存在
                          ~/.config/ka-tutorial，或 $XDG_CONFIG_HOME 下，
                          设置了 $KA_TUTORIAL_CONFIG_DIR 时保存在那里）

实验
  --drop-after N          在第 N 个探测得到回应后立即开始丢包
                          （默认 1；0 表示握手完成后立即丢包）
  --pcap FILE             把抓到的每一帧写入 FILE（经典 pcap 格式）
  --json                  输出每行一个 JSON 事件，而不是文字
  --scenario NAME         出什么故障：drop（默认）、busy、frozen、nat
  --list-scenarios        每行一个，列出所有场景后退出
  --user-timeout MS       服务器 socket 的 TCP_USER_TIMEOUT，0..3600000 毫秒
  --nat-timeout S         nat：路由器记住一条空闲连接多久，
                          2..3600 秒（默认 6）
                          （0 表示关闭；这是实验的上限，内核的上限是 2^31 − 1）

沙箱和防火墙（通常会自动选择）
  --sandbox auto|netns|userns   netns 需要 root；userns 普通用户即可
  --firewall auto|iptables|nft  用哪个工具丢弃客户端的包

  -h, --help              显示本帮助
  -v, --version           显示版本号
`,
	unknownOption: raw => `未知选项 ${raw}。参见 ka-tutorial --help。`,
	givenTwice: name => `--${name} 给了两次；只需给一次。`,
	takesNoValue: (name, value) => `--${name} 不带值；却收到了 "${value}"。`,
	needsValue: name => `--${name} 需要一个值。参见 ka-tutorial --help。`,
	needsFolder: name => `--${name} 需要一个目录。`,
	needsFile: name => `--${name} 需要一个文件名。`,
	oneOf: (name, allowed, value) => `--${name} 只能是 ${allowed.join('、')} 之一；收到的是 "${value}"。`,
	presetOneOf: value => `--preset 只能是 article 或 fast；收到的是 "${value}"。`,
	scenarioOneOf: (names, value) => `--scenario 只能是 ${names.join('、')} 之一；收到的是 "${value}"。参见 ka-tutorial lab --list-scenarios。`,
	notWhole: (name, words, text) => `--${name} 必须是 ${range(words)}之间的整数；收到的是 "${text}"。`,
	outOfRange: (name, words, text) => `--${name} 必须在 ${range(words)}之间${words.whose === undefined ? '' : whoseWords[words.whose]}；收到的是 ${text}。`,
	noOptions: (command, given) =>
		`${command === 'doctor' ? 'doctor 不接受任何选项' : 'check-lessons 不接受选项，只接受一个目录：ka-tutorial check-lessons DIR'}；收到了 --${given}。`,
	oneFolder: count => `check-lessons 一次只检查一个目录；收到了 ${count} 个。`,
	unknownCommand: words => `未知命令 "${words}"。子命令有 lab、doctor、check-lessons 和 verify；参见 ka-tutorial --help。`,
	tutorialOnly: name => `--${name} 是教程的选项，不能和 lab 一起用。`,
	labOnly: name => `--${name} 是实验的选项：ka-tutorial lab --${name} …`,
	dropsNothing: scenario => `--drop-after 不能和 --scenario ${scenario} 一起用：这个场景不丢包。`,
	noRouter: scenario => `--nat-timeout 只能和 --scenario nat 一起用：${scenario} 场景里没有路由器。`,
	notWithVerify: (name, takes) => `--${name} 不能和 verify 一起用（verify 接受 ${flags(takes)}，或 --list）。`,
	listTakesNothing: got => `verify --list 只列出练习，不接受练习名，也不接受取值（只接受 --lessons、--lang）；收到了 ${got}。`,
	verifyNeedsExercise: 'verify 需要指定一道练习：ka-tutorial verify EXERCISE --idle S --intvl S --probes N（ka-tutorial verify --list 列出所有练习）。',
	oneExercise: exercises => `verify 一次只检查一道练习；收到了 ${exercises.join('、')}。`,
	valuesMissing: names => `verify 需要给出要试的取值：缺少 ${flags(names)}。`,
	noTranslation: (code, dir, manifest) => `--lang ${code}：${dir} 没有 ${code} 译本（其中没有 ${code}/${manifest}）；不加 --lang 即可使用原文课程。`,
};
