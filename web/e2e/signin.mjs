// Shared steps for tests that need a signed-in session.

/** signIn fills the login page with the runner's credentials and waits for the app shell. */
export async function signIn(page, login) {
  if (login.email) {
    await page.getByLabel("Email").fill(login.email);
    await page.getByLabel("Password").fill(login.password);
    await page.getByLabel("Tenant").fill(login.tenant);
  } else {
    await page.getByRole("tab", { name: "API key" }).click();
    await page.getByLabel("API key").fill(login.apiKey);
  }
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("navigation", { name: "Main" }).waitFor();
}
