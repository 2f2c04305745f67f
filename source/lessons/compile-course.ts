/*
 * Build step (npm run build): reads the shipped course and each of its translations,
 * failing the build on any problem in them, and writes the cache the tutorial starts
 * from (course-cache.ts).
 */
import {defaultLessonsDir, translationsOf} from './course.js';
import {writeCourseCache} from './course-cache.js';
import {loadCourse} from './load.js';

const original = defaultLessonsDir();
const dirs = [original, ...translationsOf(original).map(({dir}) => dir)];
writeCourseCache(dirs.map(dir => ({dir, course: loadCourse(dir)})));
