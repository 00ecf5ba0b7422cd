/**
 * The password policy for every new password (sign-up, staff accounts, the operator command):
 * at least MIN_PASSWORD_LENGTH characters and not one of the most common passwords or the username.
 * Length matters most; the list catches what people type when a form asks for "10 characters".
 */
export const MIN_PASSWORD_LENGTH = 10;

/** Common passwords of 10+ characters (shorter ones already fail on length), lower case. */
const COMMON_PASSWORDS = new Set(
  `1234567890 0123456789 12345678910 1234567891 123456789a a123456789 qwertyuiop qwertyuiop1 1qaz2wsx3edc
  1q2w3e4r5t 1q2w3e4r5t6y q1w2e3r4t5 q1w2e3r4t5y6 zaq12wsxcde 0987654321 9876543210 1111111111 0000000000
  abcdefghij abc1234567 abcd123456 password123 password12 password1! passw0rd123 password1234 password!!
  passwordpassword iloveyou123 iloveyou12 princess123 football123 baseball123 basketball basketball1
  superman123 starwars123 sunshine123 dragon1234 monkey1234 letmein123 welcome123 welcome1234 welcome2024
  welcome2025 welcome2026 trustno1trustno1 qwerty123456 qwerty12345 qwertyuiop123 asdfghjkl asdfghjkl1
  asdfghjkl123 zxcvbnm123 1234qwerasdf qwer1234asdf administrator admin12345 admin123456 changeme123
  changeme1234 secret1234 computer123 internet123 michael123 jennifer123 charlie123 chocolate1 butterfly1
  liverpool1 whatever123 summer2024 summer2025 summer2026 winter2024 winter2025 winter2026 spring2025
  spring2026 autumn2025 autumn2026 copydesk123 copydesk1234 copydeskcopydesk newsroom123 newsroom1234
  journalist reporter123 editor12345 1234567890q 123qweasdzxc qweasdzxc123 11111111111 222222222222
  aaaaaaaaaa aaaaaaaaaaaa 1231231231 123123123123 6969696969 7777777777 8888888888 9999999999
  mypassword mypassword1 thisismypassword letmeinnow iloveyouforever`
    .split(/\s+/)
    .filter(Boolean),
);

/** Why a password is refused, or null when it is acceptable. */
export function passwordProblem(password: string, username?: string): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return `password must be at least ${MIN_PASSWORD_LENGTH} characters`;
  const lower = password.toLowerCase();
  if (COMMON_PASSWORDS.has(lower)) return 'password is one of the most common passwords; choose another';
  if (username && lower.includes(username.toLowerCase())) return 'password must not contain the username';
  if (new Set(password).size < 4) return 'password needs at least 4 different characters';
  return null;
}
