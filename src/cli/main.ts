import { main } from './check';

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
