// Progressive enhancement only: every journey works without this.
import { initAll } from "/assets/govuk-frontend.min.js";

initAll();
