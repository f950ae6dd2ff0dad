/** A problem to show the user, announced to screen readers; nothing when there is none. */
export function Alert({ message }: { message: string }) {
  if (!message) return null
  return (
    <p class="error" role="alert">
      {message}
    </p>
  )
}
