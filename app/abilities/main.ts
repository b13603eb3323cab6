/*
 * Pre-registered abilities. Authorization lives in the policies of app/policies.
 */
export {}
