/**
 * What to say when a user id given to Log User Out Everywhere looks like a username (no digit at
 * all), the likeliest miss: `_auth_user_id` holds the user's primary key. Undefined for any other id.
 */
export function usernameHint(userId: string): string | undefined {
  return /^\D+$/.test(userId) ? `Sessions hold the user's primary key (usually a number, as in User.objects.get(username="${userId}").pk), not the username.` : undefined;
}
